// GET /v1/decisions: the campaign ruleset the SDK evaluates on the device, with a strong
// ETag so a revalidation that changes nothing costs a 304 and no body. The demo serves
// what it was started with (or an empty ruleset) and can be handed a new one at runtime.
import crypto from 'node:crypto';

const EMPTY_RULESET = { format: 1, revision: 'empty', campaigns: [] };

/** Holds the published ruleset: an object, or raw text (tests publish broken ones on purpose). */
export function createRulesHolder(initial = EMPTY_RULESET) {
  let body;
  let etag;
  let fetches = 0;
  let notModified = 0;
  const set = (rules) => {
    body = Buffer.from(typeof rules === 'string' ? rules : JSON.stringify(rules ?? EMPTY_RULESET));
    etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  };
  set(initial);
  return {
    set,
    get etag() { return etag; },
    get fetches() { return fetches; },
    get notModified() { return notModified; },
    serve(req, res) {
      fetches += 1;
      const headers = { ETag: etag, 'Cache-Control': 'no-cache', 'Access-Control-Expose-Headers': 'ETag' };
      if (req.headers['if-none-match'] === etag) {
        notModified += 1;
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

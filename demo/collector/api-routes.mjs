// Segment-compatible API handlers: POST /v1/batch (ingest), GET /v1/events (read back), GET /health and /v1/chaos.
import crypto from 'node:crypto';
import {
  HttpError, sendJson, parseBasicAuthUser, readBoundedBody, decodeBody,
} from './http-utils.mjs';
import { validateBatchEnvelope, partitionBatch, isPlainObject } from './batch-validation.mjs';
import { ChaosConfigError, validateChaosSettings } from './chaos.mjs';

export const MAX_BODY_BYTES = 500 * 1024;
const MAX_CHAOS_BODY_BYTES = 16 * 1024;

function digest(value) {
  return crypto.createHash('sha256').update(value).digest();
}

/** Constant-time key lookup so response timing does not leak how much of a guessed key was right. */
export function createKeyChecker(writeKeys) {
  const digests = writeKeys.map(digest);
  return (key) => {
    const candidate = digest(key);
    let found = false;
    for (const known of digests) found = crypto.timingSafeEqual(known, candidate) || found;
    return found;
  };
}

const MISSING_KEY_MESSAGE = 'No write key: send it as the HTTP Basic auth user name (password empty) or as a "writeKey" field in the JSON body.';

export function missingKey(message = MISSING_KEY_MESSAGE) {
  return new HttpError(401, 'missing_write_key', message, { headers: { 'WWW-Authenticate': 'Basic realm="parcours collector"' } });
}

export function unknownKey() {
  return new HttpError(401, 'unknown_write_key', 'The write key is not known to this collector.', {
    headers: { 'WWW-Authenticate': 'Basic realm="parcours collector"' },
  });
}

/** Returns the Basic auth key if a usable header is there, undefined if there is none; throws on a bad one. */
export function keyFromHeader(req, isKnownKey) {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const key = parseBasicAuthUser(header);
  if (!key) throw missingKey('The Authorization header must be HTTP Basic auth with the write key as user name.');
  if (!isKnownKey(key)) throw unknownKey();
  return key;
}

function parseJson(buffer) {
  // sendBeacon and some HTTP clients may prepend a UTF-8 BOM.
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${err.message}`);
  }
}

/** `chaosDecision` comes from ctx.chaos.beforeBatch(); it may ask for a simulated 500 once events are stored. */
export async function handleBatch(req, res, ctx, chaosDecision) {
  const headerKey = keyFromHeader(req, ctx.isKnownKey);
  const raw = await readBoundedBody(req, MAX_BODY_BYTES);
  const body = parseJson(await decodeBody(raw, req.headers['content-encoding'], MAX_BODY_BYTES));

  // navigator.sendBeacon cannot set headers, so Segment also accepts the key inside the body.
  if (headerKey === undefined) {
    const bodyKey = isPlainObject(body) ? body.writeKey : undefined;
    if (typeof bodyKey !== 'string' || bodyKey === '') throw missingKey();
    if (!ctx.isKnownKey(bodyKey)) throw unknownKey();
  }

  const envelopeError = validateBatchEnvelope(body);
  if (envelopeError) throw new HttpError(400, envelopeError.code, envelopeError.message, { path: envelopeError.path });

  const { valid, rejected } = partitionBatch(body.batch);
  if (valid.length === 0) {
    const { code, message, path } = rejected[0];
    throw new HttpError(400, code, message, { path, extra: { rejected } });
  }

  const { accepted, duplicates } = ctx.store.append(valid);
  ctx.log(`[collector] batch: ${accepted} accepted, ${duplicates} duplicate, ${rejected.length} rejected`);
  ctx.chaos.afterStore(chaosDecision);
  sendJson(res, 200, { ok: true, accepted, duplicates, rejected });
}

export function handleEvents(req, res, ctx, query) {
  const key = keyFromHeader(req, ctx.isKnownKey);
  if (key === undefined) throw missingKey('Reading events needs the write key as the HTTP Basic auth user name.');
  const eventName = query.get('event');
  const type = query.get('type');
  const events = ctx.store.all().filter((e) => (eventName === null || e.event === eventName)
    && (type === null || e.type === type));
  sendJson(res, 200, { events });
}

export function handleHealth(req, res, ctx) {
  sendJson(res, 200, { ok: true, events: ctx.store.count() });
}

/** GET /v1/chaos reads, POST /v1/chaos changes the chaos settings; both need the write key as Basic auth. */
export async function handleChaos(req, res, ctx) {
  if (keyFromHeader(req, ctx.isKnownKey) === undefined) {
    throw missingKey('Chaos control needs the write key as the HTTP Basic auth user name.');
  }
  if (req.method === 'POST') {
    const raw = await readBoundedBody(req, MAX_CHAOS_BODY_BYTES);
    const body = raw.length === 0 ? {} : parseJson(raw);
    if (!isPlainObject(body)) throw new HttpError(400, 'invalid_chaos_setting', 'The body must be a JSON object of chaos settings, e.g. {"failRate":0.3}.');
    const { reset, ...settings } = body;
    if (reset !== undefined && typeof reset !== 'boolean') {
      throw new HttpError(400, 'invalid_chaos_setting', `chaos.reset must be true or false, got ${JSON.stringify(reset)}`, { path: 'reset' });
    }
    try {
      // Validate everything before resetting, so a bad request changes nothing.
      const valid = validateChaosSettings(settings, { allowRandom: false });
      if (reset) ctx.chaos.reset();
      ctx.chaos.set(valid);
    } catch (err) {
      if (err instanceof ChaosConfigError) throw new HttpError(400, 'invalid_chaos_setting', err.message, { path: err.field });
      throw err;
    }
    ctx.log(`[collector] chaos settings now ${JSON.stringify(ctx.chaos.settings)}`);
  }
  sendJson(res, 200, ctx.chaos.snapshot());
}

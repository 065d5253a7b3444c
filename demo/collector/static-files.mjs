// Serves the demo shop and built SDK files from fixed folders, refusing any path that escapes its root.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { HttpError } from './http-utils.mjs';

export const MIME_TYPES = Object.freeze({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
});

export function mimeTypeFor(filePath) {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

function forbidden() {
  return new HttpError(403, 'forbidden_path', 'That path points outside the served folder and is refused.');
}

function notFound(urlPath) {
  return new HttpError(404, 'not_found', `No file at ${urlPath}.`);
}

function isInside(root, candidate) {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** Normalises `{ '/shop/': dir }` into a list sorted so the longest prefix wins. */
export function normaliseStaticRoots(staticRoots) {
  return Object.entries(staticRoots)
    .map(([prefix, dir]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) {
        throw new TypeError(`staticRoots prefix "${prefix}" must start and end with "/"`);
      }
      return { prefix, root: path.resolve(dir) };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Maps the raw (still percent-encoded) URL path below a prefix to a file path, or throws. */
export function resolveStaticPath(root, rawRelative) {
  let rel;
  try {
    rel = decodeURIComponent(rawRelative);
  } catch {
    throw new HttpError(400, 'bad_path', 'The URL path is not valid percent-encoding.');
  }
  // Check the decoded form: "%2e%2e" and "..%2f" must be treated exactly like a literal "..".
  if (rel.includes('\0') || rel.includes('\\') || path.isAbsolute(rel) || /^[a-z]:/i.test(rel)) throw forbidden();
  if (rel.split('/').some((segment) => segment === '..')) throw forbidden();
  const filePath = path.resolve(root, `.${path.sep}${rel}`);
  if (!isInside(root, filePath)) throw forbidden();
  return filePath;
}

/** Answers GET/HEAD for a path under `mount.prefix`. `rawPath` is the undecoded URL path. */
export async function serveStatic(req, res, mount, rawPath) {
  const { prefix, root } = mount;
  const filePath = resolveStaticPath(root, rawPath.slice(prefix.length));

  let realRoot;
  try {
    realRoot = await fs.promises.realpath(root);
  } catch {
    throw new HttpError(404, 'static_root_missing',
      `The folder served at ${prefix} does not exist (${root}). Build it first (e.g. npm run build), then reload.`);
  }

  let target = filePath;
  let stat;
  try {
    stat = await fs.promises.stat(target);
    if (stat.isDirectory()) {
      if (!rawPath.endsWith('/')) {
        res.writeHead(302, { Location: `${rawPath}/`, 'Content-Length': 0 });
        res.end();
        return;
      }
      target = path.join(target, 'index.html');
      stat = await fs.promises.stat(target);
    }
    if (!stat.isFile()) throw notFound(rawPath);
    // A symlink inside the root must not become a door to the rest of the disk.
    if (!isInside(realRoot, await fs.promises.realpath(target))) throw forbidden();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw notFound(rawPath);
  }

  // Revalidated on every use (no-cache), as a CDN serves unversioned files: a rebuilt SDK is
  // picked up at once, and an unchanged one costs a 304, which also lets the browser reuse
  // what it cached beside the file (V8 keeps compiled wasm there).
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers = { 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': mimeTypeFor(target), 'Content-Length': stat.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise((resolve) => {
    pipeline(fs.createReadStream(target), res, () => resolve());
  });
}

// HTTP plumbing shared by the collector routes: typed errors, JSON replies, CORS, Basic auth and bounded body reading.
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const gunzip = promisify(zlib.gunzip);

/** Error that already knows the HTTP answer it should become. */
export class HttpError extends Error {
  constructor(status, code, message, { path, headers, extra } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.path = path;
    this.headers = headers;
    this.extra = extra;
  }
}

export function sendJson(res, status, body, headers = {}) {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': payload.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

export function errorBody(code, message, path) {
  const error = { code, message };
  if (path !== undefined) error.path = path;
  return { error };
}

export function sendError(res, err) {
  sendJson(res, err.status, { ...errorBody(err.code, err.message, err.path), ...err.extra }, err.headers);
}

/** Echo the Origin so browser pages served from anywhere (file://, other ports) can post to the demo collector. */
export function applyCors(req, res) {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
}

export function sendPreflight(req, res) {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding, If-None-Match',
    'Access-Control-Max-Age': '600',
    'Content-Length': 0,
  });
  res.end();
}

/**
 * Segment puts the write key in the Basic auth user name with an empty password.
 * Returns the user name, or null when the header is absent or not usable Basic auth.
 */
export function parseBasicAuthUser(header) {
  if (typeof header !== 'string') return null;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user.length > 0 ? user : null;
}

export function payloadTooLarge(limit) {
  return new HttpError(413, 'payload_too_large',
    `Request body is larger than the ${Math.round(limit / 1024)} KB limit (${limit} bytes); send smaller batches.`);
}

/**
 * Buffers the request body but gives up the moment it passes `limit`, so a huge or endless
 * (chunked) upload never sits in memory. The caller answers and then discards the rest.
 */
export function readBoundedBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      reject(payloadTooLarge(limit));
      return;
    }
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (err, value) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (err) reject(err); else resolve(value);
    };
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(null, Buffer.concat(chunks, size));
    const onError = (e) => settle(new HttpError(400, 'request_error', `Could not read the request body: ${e.message}`));
    const onClose = () => {
      if (!req.complete) settle(new HttpError(400, 'request_aborted', 'The client closed the connection before the body was complete.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** Undo Content-Encoding; the limit also caps the inflated size so a tiny zip bomb cannot exhaust memory. */
export async function decodeBody(raw, contentEncoding, limit) {
  const encoding = String(contentEncoding || 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new HttpError(415, 'unsupported_encoding',
      `Content-Encoding "${encoding}" is not supported; send identity or gzip.`);
  }
  try {
    return await gunzip(raw, { maxOutputLength: limit });
  } catch (err) {
    if (err && (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)) throw payloadTooLarge(limit);
    throw new HttpError(400, 'invalid_gzip', `The gzip body could not be decompressed: ${err.message}`);
  }
}

/**
 * After answering early (e.g. 413) the client may still be uploading. Closing the socket with unread
 * bytes makes the kernel send RST, which can wipe the answer before the client reads it, so we
 * discard incoming bytes for a short grace period and only then cut the connection.
 */
export function discardRestOfRequest(req, graceMs = 1000) {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.socket?.destroy(), graceMs);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once('end', stop);
  req.once('close', stop);
  req.resume();
}

// Test helpers for the demo collector: raw HTTP requests, temp data dirs, and spawning the CLI as a child.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER_PATH = fileURLToPath(new URL('../../demo/collector/server.mjs', import.meta.url));
export const LIMIT = 500 * 1024;

export function basicAuth(key) {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

export function makeTempDir(prefix = 'parcours-collector-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

let counter = 0;
export function makeEvent(overrides = {}) {
  counter += 1;
  return {
    type: 'track',
    event: 'Product Added',
    messageId: `msg-${process.pid}-${Date.now()}-${counter}`,
    anonymousId: 'anon-1',
    timestamp: new Date().toISOString(),
    properties: { sku: 'SKU-1', price: 19.99 },
    context: { library: { name: 'parcours-test' } },
    ...overrides,
  };
}

/**
 * Raw HTTP request (no URL normalisation, so traversal paths go out as written).
 * `chunks`: an iterable of Buffers streamed without Content-Length; streaming stops as soon as a
 * response arrives, and `endedBeforeResponse` tells whether the server waited for the whole body.
 */
export function request(baseUrl, rawPath, { method = 'GET', headers = {}, body, chunks, timeoutMs = 10_000 } = {}) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let responded = false;
    let ended = false;
    let endedBeforeResponse = false;
    const timer = setTimeout(() => {
      req.destroy(new Error(`request ${method} ${rawPath} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const req = http.request({ hostname, port, path: rawPath, method, headers, agent: false }, (res) => {
      responded = true;
      endedBeforeResponse = ended;
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const buffer = Buffer.concat(parts);
        const text = buffer.toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, buffer, text, json, endedBeforeResponse });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      // The server may cut an upload short after answering; only fail when no answer came.
      if (!responded) {
        clearTimeout(timer);
        reject(err);
      }
    });
    const finish = () => { ended = true; req.end(); };
    if (!chunks) {
      if (body !== undefined) req.write(body);
      finish();
      return;
    }
    const iterator = chunks[Symbol.iterator]();
    const pump = () => {
      while (!responded && !req.destroyed) {
        const next = iterator.next();
        if (next.done) { finish(); return; }
        if (!req.write(next.value)) { req.once('drain', pump); return; }
      }
    };
    pump();
  });
}

export function postBatch(baseUrl, payload, { key = 'demo-key', headers = {}, ...rest } = {}) {
  const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
  const auth = key ? { Authorization: basicAuth(key) } : {};
  return request(baseUrl, '/v1/batch', {
    method: 'POST', body, headers: { 'Content-Type': 'application/json', ...auth, ...headers }, ...rest,
  });
}

export async function getEvents(baseUrl, query = '', key = 'demo-key') {
  const res = await request(baseUrl, `/v1/events${query}`, { headers: { Authorization: basicAuth(key) } });
  if (res.status !== 200) throw new Error(`GET /v1/events answered ${res.status}: ${res.text}`);
  return res.json.events;
}

/** GET /v1/chaos (chaos settings and counters). */
export function getChaos(baseUrl, { key = 'demo-key' } = {}) {
  const headers = key ? { Authorization: basicAuth(key) } : {};
  return request(baseUrl, '/v1/chaos', { headers });
}

/** POST /v1/chaos with a settings object (or a raw string body). */
export function setChaos(baseUrl, settings, { key = 'demo-key' } = {}) {
  const body = typeof settings === 'string' ? settings : JSON.stringify(settings);
  const headers = { 'Content-Type': 'application/json', ...(key ? { Authorization: basicAuth(key) } : {}) };
  return request(baseUrl, '/v1/chaos', { method: 'POST', body, headers });
}

/** Resolves to the socket error of a request expected to get no HTTP answer; fails if one came. */
export async function expectNoResponse(promise) {
  let res;
  try {
    res = await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`expected the connection to be cut, got HTTP ${res.status}: ${res.text}`);
}

/**
 * Starts `node server.mjs --port 0` and resolves once it prints its machine-readable listening line.
 * `args` are extra CLI flags (e.g. chaos options).
 */
export function spawnCollector(dataDir, { timeoutMs = 10_000, args = [] } = {}) {
  const child = spawn(process.execPath, [SERVER_PATH, '--port', '0', '--data-dir', dataDir, '--write-key', 'demo-key', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`collector did not start within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /parcours collector listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve({ url: match[1], port: Number(match[2]) });
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`collector exited early (code ${code}, signal ${signal}); output:\n${output}`));
    });
  });
  return ready.then(({ url, port }) => ({
    child,
    url,
    port,
    exited,
    /** SIGKILL and wait (bounded) for the process to be gone. */
    async kill(timeout = 5_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      let timer;
      const timedOut = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('collector child did not exit')), timeout);
      });
      try {
        return await Promise.race([exited, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  }));
}

// Tests for the demo Segment-compatible collector (demo/collector): ingest rules, durability and static serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startCollector } from '../../demo/collector/server.mjs';
import { validateEvent } from '../../demo/collector/batch-validation.mjs';
import {
  LIMIT, basicAuth, makeTempDir, removeDir, makeEvent, request, postBatch, getEvents, spawnCollector,
} from '../support/collector-client.mjs';

/** Runs `fn` against a fresh in-process collector on a random port with its own temp data dir. */
async function withCollector(fn, options = {}) {
  const dataDir = options.dataDir ?? makeTempDir();
  const collector = await startCollector({ port: 0, dataDir, quiet: true, ...options });
  try {
    return await fn(collector, dataDir);
  } finally {
    await collector.close();
    if (!options.dataDir) removeDir(dataDir);
  }
}

function readLines(dataDir) {
  return fs.readFileSync(path.join(dataDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A JSON batch body of exactly `size` bytes, padded through a property. */
function batchOfSize(size) {
  const event = makeEvent({ properties: { pad: '' } });
  const base = Buffer.byteLength(JSON.stringify({ batch: [event] }));
  event.properties.pad = 'x'.repeat(size - base);
  const body = JSON.stringify({ batch: [event] });
  assert.equal(Buffer.byteLength(body), size);
  return { body, event };
}

test('valid batch with Basic auth is stored, readable and stamped with receivedAt', async () => {
  await withCollector(async ({ url, store }, dataDir) => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const events = [makeEvent(), makeEvent({ type: 'page', event: undefined, name: 'Product' })];
    const res = await postBatch(url, { batch: events, sentAt: new Date().toISOString() });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { ok: true, accepted: 2, duplicates: 0, rejected: [] });

    const stored = await getEvents(url);
    assert.deepEqual(stored.map((e) => e.messageId), events.map((e) => e.messageId));
    assert.deepEqual(await getEvents(url, '?event=Product%20Added'), [stored[0]]);
    assert.deepEqual((await getEvents(url, '?type=page')).map((e) => e.type), ['page']);

    const lines = readLines(dataDir);
    assert.equal(lines.length, 2);
    assert.ok(!Number.isNaN(Date.parse(lines[0].receivedAt)), 'receivedAt is an ISO date');
    assert.equal(lines[0].properties.sku, 'SKU-1');
    assert.equal(store.count(), 2);

    const health = await request(url, '/health');
    assert.deepEqual(health.json, { ok: true, events: 2 });

    const noKey = await request(url, '/v1/events');
    assert.equal(noKey.status, 401);
  });
});

test('malformed JSON and bad envelopes answer 400 with JSON errors', async () => {
  await withCollector(async ({ url }) => {
    const res = await postBatch(url, '{"batch": [');
    assert.equal(res.status, 400);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.json.error.code, 'invalid_json');
    assert.ok(res.json.error.message.length > 10);

    for (const body of [{}, { batch: [] }, { batch: 'nope' }, [1, 2]]) {
      const bad = await postBatch(url, body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.json.error.code, 'invalid_batch');
    }
  });
});

test('write key: missing or unknown is 401, key in body (sendBeacon) is accepted', async () => {
  await withCollector(async ({ url }) => {
    const missing = await postBatch(url, { batch: [makeEvent()] }, { key: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.json.error.code, 'missing_write_key');

    const wrong = await postBatch(url, { batch: [makeEvent()] }, { key: 'not-the-key' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error.code, 'unknown_write_key');

    const wrongInBody = await postBatch(url, { batch: [makeEvent()], writeKey: 'nope' }, { key: null });
    assert.equal(wrongInBody.json.error.code, 'unknown_write_key');

    const beacon = await postBatch(url, { batch: [makeEvent()], writeKey: 'demo-key' }, {
      key: null, headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    });
    assert.equal(beacon.status, 200, beacon.text);
    assert.equal(beacon.json.accepted, 1);
    assert.equal((await getEvents(url)).length, 1);
  }, { writeKeys: ['demo-key', 'other-key'] });
});

test('bodies over 500 KB are refused with 413, with or without Content-Length', async () => {
  await withCollector(async ({ url, store }) => {
    const atLimit = batchOfSize(LIMIT);
    const ok = await postBatch(url, atLimit.body);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(store.count(), 1);

    const over = await postBatch(url, batchOfSize(LIMIT + 1).body);
    assert.equal(over.status, 413);
    assert.equal(over.json.error.code, 'payload_too_large');

    // Chunked upload that never ends on its own: the answer must come once the limit is crossed.
    function* endless() {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 200; i += 1) yield chunk;
    }
    const chunked = await request(url, '/v1/batch', {
      method: 'POST', chunks: endless(), headers: { Authorization: basicAuth('demo-key'), 'Content-Type': 'application/json' },
    });
    assert.equal(chunked.status, 413);
    assert.equal(chunked.json.error.code, 'payload_too_large');
    assert.equal(chunked.endedBeforeResponse, false, 'server answered before the upload finished');
    assert.equal(store.count(), 1);

    const health = await request(url, '/health');
    assert.equal(health.status, 200, 'collector still healthy after refusing big uploads');
  });
});

test('gzip bodies are accepted; corrupt gzip is 400 and gzip bombs are 413', async () => {
  await withCollector(async ({ url }) => {
    const event = makeEvent();
    const gz = zlib.gzipSync(JSON.stringify({ batch: [event] }));
    const res = await postBatch(url, gz, { headers: { 'Content-Encoding': 'gzip' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await getEvents(url))[0].messageId, event.messageId);

    const corrupt = await postBatch(url, Buffer.concat([gz.subarray(0, 10), Buffer.from('definitely not deflate data')]), {
      headers: { 'Content-Encoding': 'gzip' },
    });
    assert.equal(corrupt.status, 400);
    assert.equal(corrupt.json.error.code, 'invalid_gzip');

    const bomb = zlib.gzipSync(batchOfSize(LIMIT * 4).body);
    assert.ok(bomb.length < LIMIT, 'compressed bomb is small on the wire');
    const bombRes = await postBatch(url, bomb, { headers: { 'Content-Encoding': 'gzip' } });
    assert.equal(bombRes.status, 413);
    assert.equal(bombRes.json.error.code, 'payload_too_large');
  });
});

test('mixed batch keeps the valid events and reports the invalid ones by path', async () => {
  await withCollector(async ({ url }) => {
    const good = makeEvent();
    const res = await postBatch(url, { batch: [good, makeEvent({ messageId: '' })] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.accepted, 1);
    assert.equal(res.json.rejected.length, 1);
    assert.equal(res.json.rejected[0].index, 1);
    assert.equal(res.json.rejected[0].code, 'invalid_event');
    assert.equal(res.json.rejected[0].path, 'batch[1].messageId');
    assert.deepEqual((await getEvents(url)).map((e) => e.messageId), [good.messageId]);

    const allBad = await postBatch(url, { batch: [makeEvent({ type: 'explode' }), 42] });
    assert.equal(allBad.status, 400);
    assert.equal(allBad.json.error.code, 'invalid_event');
    assert.equal(allBad.json.error.path, 'batch[0].type');
    assert.deepEqual(allBad.json.rejected.map((r) => r.path), ['batch[0].type', 'batch[1]']);
    assert.equal((await getEvents(url)).length, 1);
  });
});

test('event validation rules', () => {
  const cases = [
    [makeEvent({ anonymousId: undefined, userId: undefined }), 'batch[0].anonymousId'],
    [makeEvent({ anonymousId: undefined, userId: 'user-1' }), null],
    [makeEvent({ messageId: 'm'.repeat(201) }), 'batch[0].messageId'],
    [makeEvent({ timestamp: 'yesterday' }), 'batch[0].timestamp'],
    [makeEvent({ timestamp: '2024-13-45T10:00:00Z' }), 'batch[0].timestamp'],
    [makeEvent({ event: '' }), 'batch[0].event'],
    [makeEvent({ type: 'identify', event: undefined, traits: [] }), 'batch[0].traits'],
    [makeEvent({ properties: 'x' }), 'batch[0].properties'],
    [makeEvent({ context: null }), 'batch[0].context'],
    [makeEvent({ type: 'alias', event: undefined }), null],
  ];
  for (const [event, expectedPath] of cases) {
    const problem = validateEvent(event, 0);
    assert.equal(problem?.path ?? null, expectedPath, JSON.stringify(event));
  }
});

test('duplicate messageIds are stored once and counted', async () => {
  await withCollector(async ({ url, store }, dataDir) => {
    const a = makeEvent();
    const first = await postBatch(url, { batch: [a, { ...a }] });
    assert.deepEqual([first.json.accepted, first.json.duplicates], [1, 1]);
    const again = await postBatch(url, { batch: [a, makeEvent()] });
    assert.deepEqual([again.json.accepted, again.json.duplicates], [1, 1]);
    assert.equal(store.stats.duplicates, 2);
    assert.equal(readLines(dataDir).length, 2);
    assert.equal((await getEvents(url)).length, 2);
  });
});

test('accepted events survive SIGKILL right after the 200 (child process restart)', async () => {
  const dataDir = makeTempDir();
  const children = [];
  try {
    const first = await spawnCollector(dataDir);
    children.push(first);
    const events = Array.from({ length: 50 }, () => makeEvent());
    const res = await postBatch(first.url, { batch: events });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.accepted, 50);
    first.child.kill('SIGKILL');
    const { signal } = await first.kill();
    assert.equal(signal, 'SIGKILL');

    const second = await spawnCollector(dataDir);
    children.push(second);
    const stored = await getEvents(second.url);
    assert.deepEqual(stored.map((e) => e.messageId), events.map((e) => e.messageId));
    const dup = await postBatch(second.url, { batch: [events[0]] });
    assert.equal(dup.json.duplicates, 1, 'dedupe survives restart');
  } finally {
    for (const c of children) await c.kill();
    removeDir(dataDir);
  }
});

test('a torn last line is dropped on startup and the log keeps working', async () => {
  const dataDir = makeTempDir();
  try {
    const good = [makeEvent(), makeEvent()];
    const file = path.join(dataDir, 'events.jsonl');
    const lines = good.map((e) => JSON.stringify({ ...e, receivedAt: new Date().toISOString() }));
    fs.writeFileSync(file, `${lines.join('\n')}\n{"type":"track","messageId":"torn`);

    const warnings = [];
    const next = makeEvent();
    await withCollector(async ({ url, store }) => {
      assert.equal(store.count(), 2);
      assert.ok(warnings.some((w) => /torn/.test(w)), 'a warning about the torn line was emitted');
      const res = await postBatch(url, { batch: [next] });
      assert.equal(res.status, 200, res.text);
    }, { dataDir, warn: (msg) => warnings.push(String(msg)) });

    const after = readLines(dataDir);
    assert.deepEqual(after.map((e) => e.messageId), [...good, next].map((e) => e.messageId));

    // Same again with a complete-looking but invalid last line.
    fs.appendFileSync(file, '{"type":"track",,}\n');
    await withCollector(async ({ store }) => {
      assert.equal(store.count(), 3);
    }, { dataDir, warn: () => {} });
    assert.equal(readLines(dataDir).length, 3);
  } finally {
    removeDir(dataDir);
  }
});

test('static files: MIME types, redirects, and no path traversal', async () => {
  const base = makeTempDir();
  const root = path.join(base, 'dist');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP-SECRET');
  const wasm = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  fs.writeFileSync(path.join(root, 'parcours.wasm'), wasm);
  fs.writeFileSync(path.join(root, 'sdk.mjs'), 'export {};');
  try {
    await withCollector(async ({ url }) => {
      const res = await request(url, '/dist/parcours.wasm');
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/wasm');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.deepEqual(res.buffer, wasm);
      // Revalidation: the same file again costs a 304 with no body; a changed one a 200.
      const again = await request(url, '/dist/parcours.wasm', { headers: { 'if-none-match': res.headers.etag } });
      assert.equal(again.status, 304);
      assert.equal(again.buffer.length, 0);
      const stale = await request(url, '/dist/parcours.wasm', { headers: { 'if-none-match': 'W/"0-0"' } });
      assert.equal(stale.status, 200);
      assert.deepEqual(stale.buffer, wasm);
      assert.match((await request(url, '/dist/sdk.mjs')).headers['content-type'], /^text\/javascript/);

      for (const attack of ['/dist/../secret.txt', '/dist/%2e%2e/secret.txt', '/dist/%2E%2E%2Fsecret.txt',
        '/dist/..%2fsecret.txt', '/dist/..%5csecret.txt', `/dist/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
        `/dist/${path.join(base, 'secret.txt')}`]) {
        const r = await request(url, attack);
        assert.ok([400, 403, 404].includes(r.status), `${attack} answered ${r.status}`);
        assert.ok(!r.text.includes('TOP-SECRET'), `${attack} leaked the file`);
        assert.ok(r.json?.error?.code, `${attack} answered a JSON error`);
      }

      const missing = await request(url, '/dist/nope.js');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'not_found');

      const noRoot = await request(url, '/shop/product.html');
      assert.equal(noRoot.status, 404);
      assert.equal(noRoot.json.error.code, 'static_root_missing');
      assert.match(noRoot.json.error.message, /build/i);

      const home = await request(url, '/');
      assert.equal(home.status, 302);
      assert.equal(home.headers.location, '/shop/');
      const emailLink = await request(url, '/?pc_uid=cust-7&utm_source=email&utm_campaign=cart_reminder');
      assert.equal(emailLink.headers.location, '/shop/?pc_uid=cust-7&utm_source=email&utm_campaign=cart_reminder');
    }, { staticRoots: { '/dist/': root, '/shop/': path.join(base, 'no-such-shop') } });
  } finally {
    removeDir(base);
  }
});

test('CORS preflight, unknown routes and wrong methods', async () => {
  await withCollector(async ({ url }) => {
    const origin = 'http://shop.example';
    const pre = await request(url, '/v1/batch', { method: 'OPTIONS', headers: { Origin: origin } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], origin);
    assert.match(pre.headers['access-control-allow-methods'], /POST/);
    assert.match(pre.headers['access-control-allow-headers'], /Authorization/);
    assert.match(pre.headers['access-control-allow-headers'], /Content-Encoding/);
    assert.equal(pre.headers['access-control-max-age'], '600');

    const post = await postBatch(url, { batch: [makeEvent()] }, { headers: { Origin: origin } });
    assert.equal(post.status, 200);
    assert.equal(post.headers['access-control-allow-origin'], origin);

    const unknown = await request(url, '/v2/whatever');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not_found');

    const wrongMethod = await request(url, '/v1/batch');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.json.error.code, 'method_not_allowed');
    assert.equal((await request(url, '/health', { method: 'DELETE' })).status, 405);
  });
});

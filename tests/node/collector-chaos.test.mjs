// Tests for the demo collector's chaos controller (demo/collector/chaos.mjs): failures, 429s, delays, drops, offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCollector } from '../../demo/collector/server.mjs';
import {
  makeTempDir, removeDir, makeEvent, request, postBatch, getEvents, getChaos, setChaos, expectNoResponse,
  spawnCollector,
} from '../support/collector-client.mjs';

const ZERO_STATS = Object.freeze({
  requests: 0, failed: 0, rateLimited: 0, dropped: 0, offlineRefused: 0, failedAfterStore: 0, delayed: 0,
});

/** Runs `fn` against a fresh in-process collector on 127.0.0.1, random port, own temp data dir. */
async function withCollector(fn, options = {}) {
  const dataDir = makeTempDir('parcours-chaos-');
  const collector = await startCollector({ port: 0, host: '127.0.0.1', dataDir, quiet: true, ...options });
  try {
    return await fn(collector);
  } finally {
    await collector.close();
    removeDir(dataDir);
  }
}

function assertSocketError(err) {
  assert.ok(['ECONNRESET', 'EPIPE'].includes(err.code) || /socket hang up/i.test(err.message),
    `expected a cut connection, got ${err.code}: ${err.message}`);
}

function sleep(ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}

test('failRate: drawn requests answer 500 chaos_failure and store nothing', async () => {
  let draw = 0.1;
  await withCollector(async ({ url, store, chaos }) => {
    const event = makeEvent();
    const res = await postBatch(url, { batch: [event] });
    assert.equal(res.status, 500);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(res.json.error.code, 'chaos_failure');
    assert.ok(res.json.error.message.length > 10);
    assert.equal(store.count(), 0);
    assert.deepEqual(await getEvents(url), []);

    draw = 0.3; // not below the rate: handled normally
    const ok = await postBatch(url, { batch: [event] });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual([ok.json.accepted, ok.json.duplicates], [1, 0], 'the failed attempt left no trace');
    assert.deepEqual(chaos.stats, { ...ZERO_STATS, requests: 2, failed: 1 });
  }, { chaos: { failRate: 0.3, random: () => draw } });
});

test('rateLimit: every Nth batch answers 429 with Retry-After and stores nothing', async () => {
  await withCollector(async ({ url, store, chaos }) => {
    const statuses = [];
    let limited;
    for (let i = 0; i < 6; i += 1) {
      const res = await postBatch(url, { batch: [makeEvent()] });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    assert.deepEqual(statuses, [200, 200, 429, 200, 200, 429]);
    assert.equal(limited.headers['retry-after'], '2');
    assert.equal(limited.json.error.code, 'rate_limited');
    assert.equal(store.count(), 4);
    assert.equal(chaos.stats.rateLimited, 2);
    assert.equal(chaos.stats.requests, 6);

    // Changing the rule restarts the count; retryAfterSeconds defaults to 1.
    chaos.set({ rateLimit: { every: 1 } });
    const always = await postBatch(url, { batch: [makeEvent()] });
    assert.equal(always.status, 429);
    assert.equal(always.headers['retry-after'], '1');
    chaos.set({ rateLimit: null });
    assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 200);
  }, { chaos: { rateLimit: { every: 3, retryAfterSeconds: 2 } } });
});

test('delayMs: the batch answer takes at least the delay; it is capped at 30 s', async () => {
  await withCollector(async ({ url, store, chaos }) => {
    const started = performance.now();
    const res = await postBatch(url, { batch: [makeEvent()] });
    const elapsed = performance.now() - started;
    assert.equal(res.status, 200, res.text);
    assert.ok(elapsed >= 145, `answered after ${elapsed.toFixed(1)} ms, expected >= 150 ms`);
    assert.equal(store.count(), 1);
    assert.equal(chaos.stats.delayed, 1);

    chaos.set({ delayMs: 10 * 60_000 });
    assert.equal(chaos.settings.delayMs, 30_000);
  }, { chaos: { delayMs: 150 } });
});

test('close() does not wait for a pending chaos delay', { timeout: 15_000 }, async () => {
  const dataDir = makeTempDir('parcours-chaos-');
  try {
    const collector = await startCollector({ port: 0, dataDir, quiet: true, chaos: { delayMs: 30_000 } });
    const pending = expectNoResponse(postBatch(collector.url, { batch: [makeEvent()] }));
    while (collector.chaos.stats.delayed === 0) await sleep(10);
    await collector.close();
    assertSocketError(await pending);
    assert.equal(collector.store.count(), 0);
  } finally {
    removeDir(dataDir);
  }
});

test('dropRate: drawn requests lose their connection with no answer and nothing stored', async () => {
  await withCollector(async ({ url, store, chaos }) => {
    const err = await expectNoResponse(postBatch(url, { batch: [makeEvent()] }));
    assertSocketError(err);
    assert.equal(store.count(), 0);
    assert.deepEqual(chaos.stats, { ...ZERO_STATS, requests: 1, dropped: 1 });

    const health = await request(url, '/health');
    assert.deepEqual(health.json, { ok: true, events: 0 }, 'the collector keeps serving after a drop');

    chaos.set({ dropRate: 0.05 });
    assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 200);
  }, { chaos: { dropRate: 0.5, random: () => 0.1 } });
});

test('offline: every batch connection is cut until switched back on', async () => {
  await withCollector(async ({ url, store, chaos }) => {
    chaos.set({ offline: true });
    for (let i = 0; i < 2; i += 1) {
      assertSocketError(await expectNoResponse(postBatch(url, { batch: [makeEvent()] })));
    }
    assert.equal(store.count(), 0);
    assert.equal(chaos.stats.offlineRefused, 2);
    assert.equal(chaos.snapshot().offlineNow, true);

    chaos.set({ offline: false });
    assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 200);
    assert.equal(store.count(), 1);
  });
});

test('offlineForMs: refused at first, accepted again once the period is over', async () => {
  await withCollector(async ({ url, store, chaos }) => {
    const event = makeEvent();
    const started = performance.now();
    chaos.set({ offlineForMs: 300 });
    assert.ok(chaos.settings.offlineUntil, 'GET view shows when it comes back');
    assertSocketError(await expectNoResponse(postBatch(url, { batch: [event] })));

    let res;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      try {
        res = await postBatch(url, { batch: [event] });
        break;
      } catch (err) {
        assertSocketError(err);
        await sleep(50);
      }
    }
    assert.ok(res, 'collector came back within 5 s');
    assert.equal(res.status, 200, res.text);
    assert.ok(performance.now() - started >= 295, 'not back before the offline period ended');
    assert.equal(store.count(), 1);
    assert.ok(chaos.stats.offlineRefused >= 1);
    assert.equal(chaos.settings.offlineUntil, null);
    assert.equal(chaos.snapshot().offlineNow, false);
  });
});

test('failAfterStore: stored then 500; the retry of the same batch is deduped', async () => {
  let draw = 0.1;
  await withCollector(async ({ url, store, chaos }) => {
    const batch = { batch: [makeEvent()] };
    const lost = await postBatch(url, batch);
    assert.equal(lost.status, 500);
    assert.equal(lost.json.error.code, 'chaos_failure');
    assert.equal(store.count(), 1, 'the event was stored before the failure');

    draw = 0.9;
    const retry = await postBatch(url, batch);
    assert.equal(retry.status, 200, retry.text);
    assert.deepEqual([retry.json.accepted, retry.json.duplicates], [0, 1]);
    assert.equal(store.stats.duplicates, 1);
    assert.equal((await getEvents(url)).length, 1);
    assert.deepEqual(chaos.stats, { ...ZERO_STATS, requests: 2, failedAfterStore: 1 });

    // An invalid batch is answered 400 as usual, not turned into a chaos 500.
    draw = 0.1;
    assert.equal((await postBatch(url, { batch: [] })).status, 400);
    assert.equal(chaos.stats.failedAfterStore, 1);
  }, { chaos: { failAfterStore: 0.5, random: () => draw } });
});

test('HTTP control: GET/POST /v1/chaos need the write key, validate, and report counters', async () => {
  await withCollector(async ({ url, chaos }) => {
    for (const res of [await getChaos(url, { key: null }), await getChaos(url, { key: 'wrong' }),
      await setChaos(url, { failRate: 1 }, { key: null }), await setChaos(url, { failRate: 1 }, { key: 'wrong' })]) {
      assert.equal(res.status, 401);
      assert.match(res.json.error.code, /_write_key$/);
    }
    assert.equal(chaos.settings.failRate, 0, 'unauthenticated POST changed nothing');

    const bad = [
      [{ failRate: 1.5 }, 'failRate'], [{ dropRate: -0.1 }, 'dropRate'], [{ failAfterStore: '0.5' }, 'failAfterStore'],
      [{ delayMs: -1 }, 'delayMs'], [{ offlineForMs: 'soon' }, 'offlineForMs'], [{ offlineForMs: 1e300 }, 'offlineForMs'], [{ offline: 'yes' }, 'offline'],
      [{ rateLimit: { every: 0 } }, 'rateLimit.every'], [{ rateLimit: { every: 2, retryAfterSeconds: -1 } }, 'rateLimit.retryAfterSeconds'],
      [{ rateLimit: 5 }, 'rateLimit'], [{ explode: true }, 'explode'], [{ random: 1 }, 'random'],
      [{ reset: 'please', failRate: 0.5 }, 'reset'], [{ failRate: 0.5, dropRate: 2 }, 'dropRate'],
    ];
    for (const [body, field] of bad) {
      const res = await setChaos(url, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'invalid_chaos_setting');
      assert.equal(res.json.error.path, field);
      assert.ok(res.json.error.message.includes(field), res.json.error.message);
    }
    assert.equal((await setChaos(url, '{"failRate":')).json.error.code, 'invalid_json');
    assert.equal((await setChaos(url, '[1]')).status, 400);
    assert.equal(chaos.settings.failRate, 0, 'a rejected POST changes nothing, not even partly');

    const set = await setChaos(url, { failRate: 1, rateLimit: { every: 10, retryAfterSeconds: 1.2 } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.settings.failRate, 1);
    assert.deepEqual(set.json.settings.rateLimit, { every: 10, retryAfterSeconds: 2 });
    assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 500);

    const read = await getChaos(url);
    assert.equal(read.status, 200);
    assert.deepEqual(read.json.stats, { ...ZERO_STATS, requests: 1, failed: 1 });
    assert.equal(read.json.offlineNow, false);
    assert.deepEqual(read.json.stats, chaos.stats);

    const merged = await setChaos(url, { delayMs: 5 });
    assert.equal(merged.json.settings.failRate, 1, 'POST merges into the current settings');

    const reset = await setChaos(url, { reset: true });
    assert.deepEqual(reset.json.stats, ZERO_STATS);
    assert.deepEqual(reset.json.settings, {
      failRate: 0, failAfterStore: 0, dropRate: 0, delayMs: 0, rateLimit: null, offline: false, offlineUntil: null,
    });
    assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 200);
  });
});

test('static files, /health, /v1/events and /v1/chaos are never affected by chaos', async () => {
  const root = makeTempDir('parcours-chaos-static-');
  fs.writeFileSync(path.join(root, 'sdk.mjs'), 'export {};');
  try {
    await withCollector(async ({ url, chaos }) => {
      const checks = [
        ['/health', {}, 200], ['/dist/sdk.mjs', {}, 200], ['/dist/missing.js', {}, 404],
        ['/v1/events', { headers: { Authorization: `Basic ${Buffer.from('demo-key:').toString('base64')}` } }, 200],
        ['/v1/batch', { method: 'OPTIONS', headers: { Origin: 'http://x.example' } }, 204], ['/v1/batch', {}, 405],
      ];
      for (const [p, options, status] of checks) {
        const res = await request(url, p, options);
        assert.equal(res.status, status, `${p} answered ${res.status}`);
      }
      assert.equal((await getChaos(url)).status, 200);
      assert.equal((await setChaos(url, { delayMs: 50 })).status, 200, 'control endpoint works while offline');
      assert.deepEqual(chaos.stats, ZERO_STATS, 'chaos saw none of those requests');

      chaos.set({ offline: false });
      assert.equal((await postBatch(url, { batch: [makeEvent()] })).status, 500, 'batch still gets failRate');
      assert.equal((await request(url, '/health')).status, 200);
      assert.deepEqual(chaos.stats, { ...ZERO_STATS, requests: 1, failed: 1, delayed: 1 });
    }, { staticRoots: { '/dist/': root }, chaos: { offline: true, failRate: 1, delayMs: 100 } });
  } finally {
    removeDir(root);
  }
});

test('bad chaos options make startCollector and chaos.set() throw a clear Error', async () => {
  const dataDir = makeTempDir('parcours-chaos-');
  try {
    const cases = [
      [{ failRate: 2 }, /options\.chaos\.failRate must be a number between 0 and 1, got 2/],
      [{ dropRate: Number.NaN }, /chaos\.dropRate/], [{ delayMs: Infinity }, /chaos\.delayMs must be a finite number >= 0/],
      [{ offlineForMs: -5 }, /chaos\.offlineForMs/], [{ rateLimit: { every: 2.5 } }, /chaos\.rateLimit\.every must be a whole number/],
      [{ rateLimit: { every: 1, after: 3 } }, /chaos\.rateLimit\.after/], [{ random: 0.5 }, /chaos\.random must be a function/],
      [{ failrate: 0.5 }, /chaos\.failrate is not a chaos setting/], ['loud', /options\.chaos must be an object/],
    ];
    for (const [chaos, message] of cases) {
      await assert.rejects(startCollector({ port: 0, dataDir, quiet: true, chaos }), (err) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, message);
        return true;
      }, JSON.stringify(chaos));
    }
    await withCollector(async ({ chaos }) => {
      assert.throws(() => chaos.set({ failRate: 0.5, delayMs: -1 }), /chaos\.delayMs/);
      assert.equal(chaos.settings.failRate, 0, 'a rejected set() changes nothing');
    });
  } finally {
    removeDir(dataDir);
  }
});

test('CLI chaos flags configure the spawned collector; bad flags exit with a message', async () => {
  const dataDir = makeTempDir('parcours-chaos-');
  let child;
  try {
    child = await spawnCollector(dataDir, {
      args: ['--fail-rate', '1', '--delay-ms', '20', '--drop-rate', '0', '--rate-limit-every', '2', '--retry-after', '3'],
    });
    const { json } = await getChaos(child.url);
    assert.deepEqual(json.settings, {
      failRate: 1, failAfterStore: 0, dropRate: 0, delayMs: 20, rateLimit: { every: 2, retryAfterSeconds: 3 },
      offline: false, offlineUntil: null,
    });
    assert.equal((await postBatch(child.url, { batch: [makeEvent()] })).status, 500);
    const limited = await postBatch(child.url, { batch: [makeEvent()] });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '3');
    await child.kill();
    child = undefined;

    await assert.rejects(spawnCollector(dataDir, { args: ['--drop-rate', '1.5'] }), /--drop-rate: must be a number between 0 and 1/);
    await assert.rejects(spawnCollector(dataDir, { args: ['--retry-after', '2'] }), /--retry-after needs --rate-limit-every/);
  } finally {
    await child?.kill();
    removeDir(dataDir);
  }
});

// The npm build in Node 20 against a real collector on loopback: events arrive with their
// Segment fields, bad calls get clear errors without costing accepted events, calls before
// load are kept in order, and stored state survives a "reload".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createParcours, MemoryStore } from '../../dist/parcours.mjs';
import { recordingLogger, withCollector, WRITE_KEY } from '../support/sdk-fixtures.mjs';

const wasmBinary = readFileSync(new URL('../../dist/parcours.wasm', import.meta.url));

test('track and page reach the collector with Segment fields', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url });
    const added = await parcours.track('Product Added', { product_id: 'sku-1', price: 19.9, quantity: 2 });
    const viewed = await parcours.page('Home', { section: 'hero' });
    assert.equal(added.ok, true);
    assert.equal(viewed.ok, true);
    assert.deepEqual(await parcours.flush(), { delivered: true, pending: 0, dropped: 0 });
    const events = collector.store.all();
    assert.equal(events.length, 2);
    const [track, page] = events;
    assert.equal(track.messageId, added.messageId);
    assert.equal(track.event, 'Product Added');
    assert.deepEqual(track.properties, { product_id: 'sku-1', price: 19.9, quantity: 2 });
    assert.equal(track.anonymousId, await parcours.anonymousId());
    assert.match(track.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(track.context.library.name, 'parcours');
    assert.equal(page.type, 'page');
    assert.equal(page.name, 'Home');
    assert.equal(page.properties.section, 'hero');
    assert.equal((await parcours.stats()).delivered, 2);
  }));

test('bad calls resolve with clear errors and never cost accepted events', () =>
  withCollector(async (collector) => {
    const logger = recordingLogger();
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, logger, debug: true });
    await parcours.track('Kept Before');
    const circular = {};
    circular.self = circular;
    const refusals = [
      [await parcours.track(''), 'event.invalid_name'],
      [await parcours.track(42), 'event.invalid_name'],
      [await parcours.track('E', [1, 2]), 'event.invalid_properties'],
      [await parcours.track('E', circular), 'event.not_serializable'],
      [await parcours.track('E', { n: 10n }), 'event.not_serializable'],
      [await parcours.track('E', { blob: 'x'.repeat(40000) }), 'event.too_large'],
    ];
    for (const [result, code] of refusals) {
      assert.equal(result.ok, false);
      assert.equal(result.error.code, code);
      assert.ok(result.error.message.startsWith(`[parcours.${code}]`), result.error.message);
    }
    assert.equal(logger.lines.warn.filter((line) => line.includes('refused')).length, refusals.length);
    await parcours.track('Kept After');
    await parcours.flush();
    assert.deepEqual(collector.store.all().map((e) => e.event), ['Kept Before', 'Kept After']);
  }));

test('calls made before the core loads are replayed in order', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, wasmBinary });
    const calls = ['First', 'Second', 'Third'].map((name) => parcours.track(name));
    const flushed = parcours.flush();
    assert.ok((await Promise.all(calls)).every((result) => result.ok));
    assert.equal((await flushed).delivered, true);
    assert.deepEqual(collector.store.all().map((e) => e.event), ['First', 'Second', 'Third']);
  }));

test('an invalid configuration rejects ready and refuses calls without throwing', async () => {
  const logger = recordingLogger();
  const parcours = createParcours({ writeKey: '', logger });
  await assert.rejects(parcours.ready, (error) => error.code === 'config.invalid' && error.path === 'writeKey');
  const result = await parcours.track('Never Sent');
  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'config.invalid');
  assert.equal(logger.lines.error.length, 1);
});

test('a collector failure is retried with backoff until delivered, exactly once', () =>
  withCollector(async (collector) => {
    let failuresLeft = 2;
    const flaky = async (url, init) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return new Response(JSON.stringify({ error: { message: 'try later' } }), { status: 503 });
      }
      return fetch(url, init);
    };
    const logger = recordingLogger();
    // Only batches go through the flaky fetch: no ruleset requests in this test.
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, fetch: flaky, retryBaseMs: 20, logger,
                                      rulesUrl: false });
    await parcours.track('Survives Failures');
    const first = await parcours.flush();
    assert.deepEqual(first, { delivered: false, pending: 1, dropped: 0 });
    for (let i = 0; i < 100 && collector.store.count() === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    assert.equal(collector.store.count(), 1);
    assert.equal(collector.store.stats.duplicates, 0);
    assert.equal(logger.lines.warn.filter((line) => line.includes('try later')).length, 2);
    // The collector stores a batch before its answer reaches the client: settle first.
    assert.equal((await parcours.flush()).delivered, true);
    const stats = await parcours.stats();
    assert.equal(stats.retries, 2);
    assert.equal(stats.delivered, 1);
  }));

test('unsent events survive a reload through storage, with their messageIds', () =>
  withCollector(async (collector) => {
    const store = new MemoryStore();
    const offline = async () => {
      throw new TypeError('network down');
    };
    const before = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: store, fetch: offline });
    const tracked = await before.track('Queued While Offline');
    await before.flush();
    const anonymousId = await before.anonymousId();

    const after = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: store });
    await after.ready;
    assert.equal(await after.anonymousId(), anonymousId);
    await after.flush();
    const events = collector.store.all();
    assert.equal(events.length, 1);
    assert.equal(events[0].messageId, tracked.messageId);
  }));

test('a corrupt stored state is discarded with a warning and tracking goes on', () =>
  withCollector(async (collector) => {
    const store = new MemoryStore();
    store.set(`parcours:${WRITE_KEY}:state`, '{"v":1,"queue":[tru');
    const logger = recordingLogger();
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: store, logger });
    await parcours.track('After Corruption');
    await parcours.flush();
    assert.equal(logger.lines.warn.filter((line) => line.includes('state.corrupt_snapshot')).length, 1);
    assert.deepEqual(collector.store.all().map((e) => e.event), ['After Corruption']);
  }));

test('flush reports events the collector refused as dropped, not delivered', () =>
  withCollector(async (collector) => {
    const refusing = async () => new Response(JSON.stringify({ error: { message: 'bad batch' } }), { status: 400 });
    const logger = recordingLogger();
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, fetch: refusing, logger });
    await parcours.track('Refused');
    assert.deepEqual(await parcours.flush(), { delivered: false, pending: 0, dropped: 1 });
    assert.equal(logger.lines.error.filter((line) => line.includes('bad batch')).length, 1);
    assert.equal((await parcours.stats()).dropped.rejected, 1);
  }));

test('gzip bodies reach a collector that accepts Content-Encoding: gzip', () =>
  withCollector(async (collector) => {
    const sizes = [];
    const measuring = async (url, init) => {
      sizes.push({ encoding: init.headers['Content-Encoding'], bytes: init.body.length });
      return fetch(url, init);
    };
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, gzip: true, fetch: measuring });
    for (let i = 0; i < 20; i += 1) await parcours.track('Compressed', { product_id: `sku-${i}`, price: 10 + i });
    assert.equal((await parcours.flush()).delivered, true);
    assert.equal(collector.store.count(), 20);
    assert.ok(sizes.length >= 1 && sizes.every((s) => s.encoding === 'gzip'));
    const plain = collector.store.all().map((e) => JSON.stringify(e)).join(',').length;
    const sent = sizes.reduce((sum, s) => sum + s.bytes, 0);
    assert.ok(sent * 3 < plain, `gzip sent ${sent} bytes for ${plain} bytes of events`);
  }));

test('bad input from the page: clear errors or documented coercions, and the next event still goes', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url });
    const noName = await parcours.track(undefined);
    assert.equal(noName.error.code, 'event.invalid_name');
    const huge = await parcours.track('Huge', { blob: 'x'.repeat(1024 * 1024) });
    assert.equal(huge.error.code, 'event.too_large');
    assert.match(huge.error.message, /over maxEventBytes/);
    // Documented coercion (docs/TRACKING.md): JSON has no NaN or Infinity; they become null,
    // as JSON.stringify makes them, and undefined members are left out.
    const coerced = await parcours.track('Coerced', { nan: NaN, inf: Infinity, gone: undefined, when: new Date(0) });
    assert.equal(coerced.ok, true);
    const next = await parcours.track('Next Valid', { ok: true });
    assert.equal(next.ok, true);
    await parcours.flush();
    const events = collector.store.all();
    assert.deepEqual(events.map((e) => e.event), ['Coerced', 'Next Valid']);
    assert.deepEqual(events[0].properties, { nan: null, inf: null, when: '1970-01-01T00:00:00.000Z' });
  }));

test('identify forms: (userId, traits), (traits), (undefined, traits); a number is an invalid id', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url });
    assert.equal((await parcours.identify('u-1', { plan: 'free' })).ok, true);
    assert.equal((await parcours.identify({ plan: 'pro' })).ok, true);
    // Regression: identify(undefined, traits) used to drop the traits silently.
    assert.equal((await parcours.identify(undefined, { city: 'Lyon' })).ok, true);
    assert.equal((await parcours.identify(42)).error.code, 'identity.invalid_id');
    await parcours.flush();
    const traits = collector.store.all().map((e) => e.traits);
    assert.deepEqual(traits.at(-1), { plan: 'pro', city: 'Lyon' });
  }));

test('flush() resolves while sending waits for consent, and the events go once granted', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, consent: { analytics: null } });
    await parcours.track('Waiting For Consent');
    // Regression: this flush never settled (paused is neither empty nor retrying).
    assert.deepEqual(await parcours.flush(), { delivered: false, pending: 1, dropped: 0 });
    assert.equal(collector.store.count(), 0);
    await parcours.consent.set({ analytics: true });
    assert.equal((await parcours.flush()).delivered, true);
    assert.equal(collector.store.count(), 1);
  }));

test('after a failed load, stats, inspect and anonymousId resolve instead of rejecting', async () => {
  const parcours = createParcours({ writeKey: WRITE_KEY, wasmBinary: new Uint8Array([0, 1, 2]), logger: recordingLogger() });
  await assert.rejects(parcours.ready);
  assert.equal((await parcours.stats()).delivered, 0);
  assert.equal(await parcours.inspect(), null);
  assert.equal(await parcours.anonymousId(), '');
  assert.equal((await parcours.track('Refused')).error.code, 'shell.load_failed');
});

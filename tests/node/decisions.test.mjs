// On-device decisions from the npm build in Node against the demo collector: the ruleset is
// fetched and revalidated with its ETag, decisions reach onDecision handlers and offer reports reach the
// collector, and a broken, hostile or unreachable ruleset never replaces the last good one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParcours, MemoryStore } from '../../dist/parcours.mjs';
import { recordingLogger, withCollector, WRITE_KEY } from '../support/sdk-fixtures.mjs';

const cartRules = (revision = 'r1', extra = {}) => ({
  format: 1,
  revision,
  campaigns: [{
    id: 'cart-nudge', name: 'Cart nudge', placement: 'modal',
    trigger: { type: 'event', event: 'Product Added' },
    conditions: { 'cart.value': { $gte: 30 } },
    content: { title: 'Your {{cart.items.0.name}} is waiting', body: 'Total {{cart.value | money}}' },
    ...extra,
  }],
});
const SHIRT = { product_id: 'p1', name: 'Linen shirt', price: 49.5, quantity: 1, currency: 'EUR' };

/** Polls `check` (sync or async) every 20 ms for at most `timeoutMs`. */
async function until(check, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const revisionOf = async (parcours) => (await parcours.inspect())?.rules?.revision;

function recordDecisions(parcours) {
  const decisions = [];
  parcours.onDecision((decision) => decisions.push(decision));
  return decisions;
}

test('a fetched ruleset decides locally and offer reports reach the collector', () =>
  withCollector(async (collector) => {
    collector.rules.set(cartRules());
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: new MemoryStore() });
    const decisions = recordDecisions(parcours);
    await until(async () => (await revisionOf(parcours)) === 'r1', 'the fetched ruleset');
    await parcours.track('Product Added', { ...SHIRT, product_id: 'p0', name: 'Socks', price: 10 });
    assert.equal(decisions.length, 0);  // cart.value 10 < 30
    await parcours.track('Product Added', SHIRT);
    assert.equal(decisions.length, 1);
    const [decision] = decisions;
    assert.equal(decision.campaign.id, 'cart-nudge');
    assert.equal(decision.placement, 'modal');
    assert.equal(decision.content.title, 'Your Socks is waiting');
    assert.equal(decision.content.body, 'Total €59.50');
    assert.equal(decision.explanation.trigger, 'event:Product Added');
    assert.equal((await parcours.decisions.report(decision.id, 'shown')).ok, true);
    const refused = await parcours.decisions.report(decision.id, 'teleported');
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'input.invalid');
    const unknown = await parcours.decisions.report('d-none', 'shown');
    assert.equal(unknown.error.code, 'offer.unknown_decision');
    await parcours.flush();
    const offers = collector.store.all().filter((event) => event.event === 'Offer Shown');
    assert.equal(offers.length, 1);
    assert.equal(offers[0].properties.campaign_id, 'cart-nudge');
    assert.equal(offers[0].properties.variant_id, 'default');
    assert.equal(offers[0].properties.decision_id, decision.id);
  }));

test('a stale cached ruleset is revalidated with If-None-Match and a 304 keeps it', () =>
  withCollector(async (collector) => {
    collector.rules.set(cartRules('cached'));
    const store = new MemoryStore();
    const first = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: store });
    await until(async () => (await revisionOf(first)) === 'cached', 'the first fetch');
    // Age the stored copy past the refresh interval, as if the visitor came back later.
    const key = store.keys().find((k) => k.endsWith('rules'));
    const stored = JSON.parse(store.get(key));
    store.set(key, JSON.stringify({ ...stored, fetchedAt: 1 }));
    const second = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: store });
    await second.ready;
    assert.equal((await second.inspect()).rules.source, 'cache');  // Decides before the network answers.
    await until(() => collector.rules.notModified === 1, 'a 304 revalidation');
    assert.equal(collector.rules.fetches, 2);
    assert.equal(await revisionOf(second), 'cached');
  }));

test('broken, hostile or unreachable rulesets keep the last good one deciding, reported once', () =>
  withCollector(async (collector) => {
    const logger = recordingLogger();
    collector.rules.set('{"format":1,"campaigns":[{"id":');  // Truncated.
    const parcours = createParcours({
      writeKey: WRITE_KEY, host: collector.url, storage: new MemoryStore(), logger, rules: cartRules('bootstrap'),
    });
    const decisions = recordDecisions(parcours);
    await until(() => logger.lines.error.some((line) => line.includes('rules.invalid')), 'the refusal');
    assert.equal(await revisionOf(parcours), 'bootstrap');
    assert.ok(logger.lines.error.some((line) => line.includes('not valid JSON') && line.includes('previous ruleset')));
    await parcours.track('Product Added', SHIRT);
    assert.equal(decisions.length, 1);

    const hostile = [
      ['deep nesting', `{"format":1,"campaigns":${'['.repeat(50000)}${']'.repeat(50000)}}`, 'nested deeper'],
      ['10 MB', JSON.stringify({ ...cartRules('huge'), padding: 'x'.repeat(10 * 1024 * 1024) }), 'ruleset limit'],
      ['wrong format', JSON.stringify({ format: 9, campaigns: [] }), 'format'],
    ];
    for (const [what, body, expected] of hostile) {
      collector.rules.set(body);
      const log = recordingLogger();
      const fresh = createParcours({
        writeKey: WRITE_KEY, host: collector.url, storage: new MemoryStore(), logger: log, rules: cartRules('bootstrap'),
      });
      await until(() => log.lines.error.length + log.lines.warn.length > 0, `the ${what} refusal`);
      assert.match([...log.lines.error, ...log.lines.warn].join('\n'), new RegExp(expected), what);
      assert.equal(await revisionOf(fresh), 'bootstrap', what);
    }
    // A catastrophic regex is bounded, not refused: it simply does not match.
    const evil = cartRules('evil', { conditions: { 'event.properties.q': { $regex: '^(a+)+$' } } });
    assert.equal((await parcours.decisions.load(evil)).ok, true);
    const started = Date.now();
    await parcours.track('Product Added', { ...SHIRT, q: `${'a'.repeat(20000)}b` });
    assert.ok(Date.now() - started < 5000, 'the evil regex finished');  // Bounded, not timed: generous.
    assert.equal(decisions.length, 1);
  }));

test('a ruleset the page loads is checked like a fetched one', () =>
  withCollector(async (collector) => {
    const parcours = createParcours({ writeKey: WRITE_KEY, host: collector.url, storage: new MemoryStore(), rulesUrl: false });
    const loaded = await parcours.decisions.load(cartRules('page-1'));
    assert.deepEqual(loaded, { ok: true, revision: 'page-1', campaigns: 1 });
    const refused = await parcours.decisions.load({ format: 1, campaigns: [{ id: 'x', placement: 'modal', trigger: { type: 'teleport' }, content: {} }] });
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'rules.invalid');
    assert.match(refused.error.message, /campaigns\.0\.trigger\.type/);
    assert.equal(await revisionOf(parcours), 'page-1');
    assert.equal(collector.rules.fetches, 0);  // rulesUrl: false never fetches.
  }));

test('debug mode logs each input, each effect and each decision with its explanation', async () => {
  const logger = recordingLogger();
  const explained = [];
  logger.debug = (...args) => {
    logger.lines.debug.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    if (String(args[0]).startsWith('[parcours] decision')) explained.push(args[1]);
  };
  const parcours = createParcours({ writeKey: WRITE_KEY, storage: new MemoryStore(), rulesUrl: false, debug: true, logger,
                                    rules: cartRules('debug-1'), fetch: async () => new Response('{}') });
  const handled = [];
  parcours.onDecision((decision) => handled.push(decision.campaign.id));
  await parcours.ready;
  await parcours.track('Product Added', SHIRT);
  const lines = logger.lines.debug;
  assert.ok(lines.some((line) => line.startsWith('[parcours] input') && line.includes('Product Added')), lines.join('\n'));
  assert.ok(lines.some((line) => line.startsWith('[parcours] effect show')), lines.join('\n'));
  assert.ok(lines.some((line) => line.startsWith('[parcours] decision: cart-nudge (default) at modal')), lines.join('\n'));
  assert.deepEqual(handled, ['cart-nudge']);
  // Debug mode explains every campaign considered, not only the winner.
  assert.equal(explained.length, 1);
  assert.equal(explained[0].campaign, 'cart-nudge');
  assert.ok(Array.isArray(explained[0].considered?.campaigns), JSON.stringify(explained[0]));
});

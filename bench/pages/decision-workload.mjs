// The decision benchmark's workload, shared by Node (bench/decision-cost.mjs) and Chromium
// (bench/pages/decisions.html): rulesets of N campaigns and the µs per event they cost the
// core, measured through the raw core boundary exactly as the shell calls it.

const EVENTS = ['Product Viewed', 'Product Added', 'Cart Viewed', 'Checkout Started', 'Product List Viewed',
  'Products Searched', 'Promotion Clicked', 'Product Removed', 'Coupon Entered', 'Wishlist Added'];

/**
 * N campaigns as a real shop would have them: spread over ten event triggers and the cart
 * timers, each with a three-clause condition. `sameTrigger` puts all N on Product Added,
 * the worst case where every campaign is evaluated for every add.
 */
export function makeRuleset(count, { sameTrigger = false } = {}) {
  const campaigns = [];
  for (let i = 0; i < count; i += 1) {
    const trigger = sameTrigger || i % 5 !== 4
      ? { type: 'event', event: sameTrigger ? 'Product Added' : EVENTS[i % EVENTS.length] }
      : { type: 'cartIdle', seconds: 30 + (i % 60) };
    campaigns.push({
      id: `c${i}`,
      name: `Campaign ${i}`,
      priority: i % 7,
      placement: `slot-${i % 4}`,
      trigger,
      // False for the benchmark's visitor: once the growing cart passes cart.value, the path
      // regex (10 distinct patterns) matches one campaign in ten and the trait never does.
      conditions: {
        'cart.value': { $gte: 1000 + i },
        'user.traits.tier': { $in: ['gold', 'platinum'] },
        'page.path': { $regex: `^/(shop|p)/${i % 10}` },
      },
      caps: { perSession: 1, perDay: 3 },
      content: { title: 'Offer {{cart.items.0.name}}', body: '{{cart.value | money}}' },
    });
  }
  return { format: 1, revision: `bench-${count}`, timezone: 'Europe/Paris', campaigns };
}

const PRODUCT = {
  product_id: 'sku-42', sku: 'LIN-SHIRT-M-BLUE', name: 'Linen shirt', price: 49.5,
  currency: 'EUR', quantity: 1, category: 'Shirts', url: 'https://shop.example.com/p/sku-42',
};

/**
 * Loads `ruleset` into a fresh core and times `events` Product Added calls (median of
 * `rounds`). Returns µs per event, the load/compile time and the WASM memory after load.
 */
export async function measureDecisions(loadCore, ruleset, { events = 2000, rounds = 5, now = () => performance.now() } = {}) {
  const core = await loadCore();
  const memoryBefore = core.memoryBytes();
  const config = { writeKey: 'bench', rulesUrl: false, flushIntervalMs: 86400000, maxQueueEvents: 20000, maxBatchEvents: 1000 };
  const init = JSON.parse(core.handleJson(JSON.stringify({
    type: 'init', now: Date.UTC(2026, 10, 23, 10), seed: [1, 2, 3, 4], config,
    context: { page: { path: '/shop/1', url: 'https://shop.example.com/shop/1' } },
  })));
  if (!init.ok) throw new Error(JSON.stringify(init.error));
  const text = JSON.stringify(ruleset);
  const loadStart = now();
  const loaded = JSON.parse(core.handleJson(JSON.stringify({ type: 'rules', now: Date.UTC(2026, 10, 23, 10), ruleset })));
  const loadMs = now() - loadStart;
  if (ruleset.campaigns.length > 0 && !loaded.result?.loaded) throw new Error(JSON.stringify(loaded));
  const memoryAfterLoad = core.memoryBytes();
  const perRound = [];
  let clock = Date.UTC(2026, 10, 23, 10, 1);
  for (let round = 0; round < rounds; round += 1) {
    const inputs = [];
    for (let i = 0; i < events; i += 1) {
      clock += 10;
      inputs.push(JSON.stringify({ type: 'track', now: clock, event: 'Product Added', properties: PRODUCT }));
    }
    const start = now();
    for (const input of inputs) core.handleJson(input);
    perRound.push(((now() - start) * 1000) / events);
  }
  perRound.sort((a, b) => a - b);
  return {
    campaigns: ruleset.campaigns.length,
    rulesetBytes: text.length,
    microsPerEvent: perRound[Math.floor(perRound.length / 2)],
    loadMs,
    wasmMemoryBytes: memoryAfterLoad,
    wasmMemoryForRulesBytes: memoryAfterLoad - memoryBefore,
  };
}

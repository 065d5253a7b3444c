// Bytes on the wire and requests per event: a shopper's stream of e-commerce events at a
// steady rate, replayed through the bare core on a simulated clock (every send answered 200
// after 80 ms), with bodies measured raw and gzipped as CompressionStream would send them.
import { gzipSync } from 'node:zlib';

const CONTEXT = {
  page: {
    url: 'https://shop.example.com/p/linen-shirt-blue?utm_source=newsletter&utm_medium=email',
    path: '/p/linen-shirt-blue',
    search: '?utm_source=newsletter&utm_medium=email',
    title: 'Linen shirt, blue — Maison Parcours',
    referrer: 'https://shop.example.com/c/shirts',
  },
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  screen: { width: 1440, height: 900, density: 2 },
};

// A realistic mix: mostly views, some adds, the odd page view.
function callFor(i) {
  const sku = `sku-${1000 + (i % 37)}`;
  if (i % 10 === 9) return { type: 'page', properties: { category: 'Shirts' } };
  if (i % 5 === 4) {
    return { type: 'track', event: 'Product Added',
      properties: { product_id: sku, sku, name: 'Linen shirt', price: 49.5, currency: 'EUR', quantity: 1, cart_id: 'c-77' } };
  }
  return { type: 'track', event: 'Product Viewed',
    properties: { product_id: sku, sku, name: 'Linen shirt', price: 49.5, currency: 'EUR', category: 'Shirts' } };
}

export async function measureWireCost({ loadCore }, wasmBinary, { eventsPerSecond = 100, events = 3000, config = {} } = {}) {
  const core = await loadCore({ wasmBinary });
  const start = 1_763_800_000_000;
  const handle = (input) => JSON.parse(core.handleJson(JSON.stringify(input)));
  const inFlight = [];  // [answerAt, batchId]
  let timerAt = null;
  let requests = 0;
  let rawBytes = 0;
  let gzipBytes = 0;
  const run = (output) => {
    for (const effect of output.effects) {
      if (effect.type === 'schedule') timerAt = effect.at;
      if (effect.type === 'send') {
        requests += 1;
        rawBytes += Buffer.byteLength(effect.body);
        gzipBytes += gzipSync(effect.body).length;
        inFlight.push([output.now + 80, effect.batchId]);
      }
    }
  };
  const advanceTo = (now) => {
    for (;;) {
      inFlight.sort((a, b) => a[0] - b[0]);
      const nextAnswer = inFlight.length ? inFlight[0][0] : Infinity;
      const nextTimer = timerAt ?? Infinity;
      const next = Math.min(nextAnswer, nextTimer);
      if (next > now) return;
      if (nextAnswer <= nextTimer) {
        const [at, batchId] = inFlight.shift();
        run({ ...handle({ type: 'delivered', now: at, batchId, status: 200 }), now: at });
      } else {
        timerAt = null;
        run({ ...handle({ type: 'tick', now: nextTimer }), now: nextTimer });
      }
    }
  };
  run({ ...handle({ type: 'init', now: start, seed: [9, 8, 7, 6], config: { writeKey: 'wk_live_123', ...config }, context: CONTEXT }), now: start });
  const gap = 1000 / eventsPerSecond;
  for (let i = 0; i < events; i += 1) {
    const now = Math.round(start + i * gap);
    advanceTo(now);
    run({ ...handle({ ...callFor(i), now }), now });
  }
  advanceTo(start + events * gap + 600_000);
  return {
    eventsPerSecond,
    events,
    requestsPer1000: (requests * 1000) / events,
    rawBytesPerEvent: rawBytes / events,
    gzipBytesPerEvent: gzipBytes / events,
  };
}

// Tests for the shell's pure modules (web/src/campaign.ts, identity-params.ts, middleware.ts,
// route-watcher.ts, ecommerce.ts, snippet.ts, decisions.ts, call-batch.ts), each bundled on the fly with esbuild so no build is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SRC = fileURLToPath(new URL('../../web/src/', import.meta.url));

/** Bundles one web/src module as ESM and imports it from a data: URL. */
async function load(file) {
  const result = await build({
    entryPoints: [`${SRC}${file}`],
    write: false,
    format: 'esm',
    bundle: true,
    platform: 'neutral',
    target: 'es2020',
    logLevel: 'silent',
  });
  const code = Buffer.from(result.outputFiles[0].contents).toString('base64');
  return import(`data:text/javascript;base64,${code}`);
}

const campaign = await load('campaign.ts');
const identity = await load('identity-params.ts');
const middleware = await load('middleware.ts');
const routes = await load('route-watcher.ts');
const ecommerce = await load('ecommerce.ts');
const snippet = await load('snippet.ts');
const decisions = await load('decisions.ts');
const callBatch = await load('call-batch.ts');

// ---------------------------------------------------------------- campaign

test('campaign: every UTM parameter and click id lands in its member', () => {
  const search = '?utm_campaign=spring%20sale&utm_source=newsletter&utm_medium=email&utm_term=running+shoes'
    + '&utm_content=hero&utm_id=c-42&gclid=G1&fbclid=F1&msclkid=M1&dclid=D1&ttclid=T1&li_fat_id=L1&other=x';
  assert.deepEqual(campaign.parseCampaign(search), {
    name: 'spring sale', source: 'newsletter', medium: 'email', term: 'running shoes', content: 'hero', id: 'c-42',
    gclid: 'G1', fbclid: 'F1', msclkid: 'M1', dclid: 'D1', ttclid: 'T1', li_fat_id: 'L1',
  });
  // Without the leading "?", and a click id alone is a campaign.
  assert.deepEqual(campaign.parseCampaign('gclid=abc'), { gclid: 'abc' });
});

test('campaign: undefined when no campaign parameter (or only empty ones) is present', () => {
  assert.equal(campaign.parseCampaign(''), undefined);
  assert.equal(campaign.parseCampaign('?'), undefined);
  assert.equal(campaign.parseCampaign('?page=2&utm=x&utm_campaignx=y&UTM_SOURCE=z'), undefined);
  assert.equal(campaign.parseCampaign('?utm_source=&utm_medium=%20%20&gclid'), undefined);
  assert.equal(campaign.parseCampaign('?a=1#utm_source=in-hash'), undefined);
});

test('campaign: values are trimmed, the first non-empty occurrence wins', () => {
  assert.deepEqual(campaign.parseCampaign('?utm_source=+%20news%20+&utm_source=second&utm_medium=&utm_medium=mail'),
    { source: 'news', medium: 'mail' });
});

test('campaign: malformed percent-encoding keeps the raw text instead of throwing', () => {
  assert.deepEqual(campaign.parseCampaign('?utm_campaign=%E0%A4%A&utm_source=50%off&utm_medium=ok%21'),
    { name: '%E0%A4%A', source: '50%off', medium: 'ok!' });
  assert.doesNotThrow(() => campaign.parseCampaign('?%E0%A4%A=1&utm_term=%'));
  assert.deepEqual(campaign.parseCampaign('?utm_term=%'), { term: '%' });
});

test('campaign: values are cut to 200 characters without splitting a code point', () => {
  const parsed = campaign.parseCampaign(`?utm_campaign=${'a'.repeat(500)}&utm_source=${encodeURIComponent('😀'.repeat(250))}`);
  assert.equal(parsed.name, 'a'.repeat(200));
  assert.equal(Array.from(parsed.source).length, 200);
  assert.equal(parsed.source, '😀'.repeat(200));
  assert.equal(campaign.MAX_CAMPAIGN_VALUE_LENGTH, 200);
});

test('campaign: key is stable across member order and changes with any member, click ids included', () => {
  const a = campaign.campaignKey({ source: 'news', name: 'spring', gclid: 'G1' });
  const b = campaign.campaignKey({ gclid: 'G1', name: 'spring', source: 'news' });
  assert.equal(a, b);
  assert.notEqual(a, '');
  assert.equal(a, campaign.campaignKey(campaign.parseCampaign('?gclid=G1&utm_source=news&utm_campaign=spring')));
  assert.notEqual(a, campaign.campaignKey({ source: 'news', name: 'spring', gclid: 'G2' }));
  assert.notEqual(a, campaign.campaignKey({ source: 'news', name: 'spring' }));
  assert.notEqual(campaign.campaignKey({ source: 'a', medium: 'b' }), campaign.campaignKey({ source: 'b', medium: 'a' }));
  // Separators inside values cannot make two campaigns collide.
  assert.notEqual(campaign.campaignKey({ source: 'a","medium":"b' }), campaign.campaignKey({ source: 'a', medium: 'b' }));
  assert.equal(campaign.campaignKey(undefined), '');
  assert.equal(campaign.campaignKey({}), '');
});

// ---------------------------------------------------------------- identity params

test('identity: valid pc_uid and pc_aid are read, other parameters ignored', () => {
  assert.deepEqual(identity.readIdentityParams('?utm_source=mail&pc_uid=user-42&pc_aid=a%3Ab_c.d~!'),
    { userId: 'user-42', anonymousId: 'a:b_c.d~!' });
  assert.deepEqual(identity.readIdentityParams('pc_aid=only'), { anonymousId: 'only' });
  assert.deepEqual(identity.readIdentityParams(''), {});
  assert.deepEqual(identity.readIdentityParams('?x=1#pc_uid=hash'), {});
  assert.deepEqual(identity.readIdentityParams(`?pc_uid=${'x'.repeat(200)}`), { userId: 'x'.repeat(200) });
});

test('identity: spaces, non-ASCII, control characters, empty, too long or malformed values are rejected', () => {
  for (const bad of ['a%20b', 'a+b', 'caf%C3%A9', 'a%0Ab', 'tab%09', '%7F', '', 'x'.repeat(201), '%E0%A4%A', '%']) {
    assert.deepEqual(identity.readIdentityParams(`?pc_uid=${bad}`), {}, `pc_uid=${bad} should be rejected`);
  }
  assert.deepEqual(identity.readIdentityParams('?pc_uid'), {});
  // One bad parameter does not take the other with it.
  assert.deepEqual(identity.readIdentityParams('?pc_uid=bad%20id&pc_aid=good'), { anonymousId: 'good' });
  // Only the first occurrence counts, even when a later one would be valid.
  assert.deepEqual(identity.readIdentityParams('?pc_uid=first&pc_uid=second'), { userId: 'first' });
  assert.deepEqual(identity.readIdentityParams('?pc_uid=bad%20id&pc_uid=second'), {});
});

test('identity: URL rewriting drops only the identity params, keeping others, their encoding and the hash', () => {
  const strip = identity.withoutIdentityParams;
  assert.equal(strip('https://shop.example/p?utm_source=mail&pc_uid=u1&q=a%20b+c&pc_aid=a1#reviews'),
    'https://shop.example/p?utm_source=mail&q=a%20b+c#reviews');
  assert.equal(strip('https://shop.example/p?pc_uid=u1&pc_aid=a1#top'), 'https://shop.example/p#top');
  assert.equal(strip('https://shop.example/p?pc_uid=u1'), 'https://shop.example/p');
  assert.equal(strip('/p?pc_uid=u1&x=1'), '/p?x=1');
  assert.equal(strip('https://shop.example/p?pc_uidx=1&apc_uid=2'), 'https://shop.example/p?pc_uidx=1&apc_uid=2');
  assert.equal(strip('https://shop.example/p#?pc_uid=u1'), 'https://shop.example/p#?pc_uid=u1');
  assert.equal(strip('https://shop.example/p?x=1&pc%5Fuid=encoded-name'), 'https://shop.example/p?x=1');
  for (const untouched of ['https://shop.example/p?x=%ZZ&&y=1#h', 'https://shop.example/p?', '/p?&x=1&', 'p']) {
    assert.equal(strip(untouched), untouched);
  }
});

// ---------------------------------------------------------------- middleware

const trackPayload = () => ({ type: 'track', event: 'Signed Up', properties: { email: 'a@b.c', plan: 'pro' } });

test('middleware: runs in registration order, each receiving the previous output', () => {
  const chain = new middleware.MiddlewareChain();
  const seen = [];
  chain.use((p) => { seen.push(['first', p.event]); return { ...p, event: `${p.event} 1` }; });
  chain.use((p) => { seen.push(['second', p.event]); return { ...p, event: `${p.event} 2` }; });
  const result = chain.run(trackPayload());
  assert.deepEqual(seen, [['first', 'Signed Up'], ['second', 'Signed Up 1']]);
  assert.equal(result.payload.event, 'Signed Up 1 2');
  assert.equal(chain.size, 2);
});

test('middleware: no middleware passes the payload through', () => {
  const payload = trackPayload();
  assert.deepEqual(new middleware.MiddlewareChain().run(payload), { payload });
});

test('middleware: null drops the event and stops the chain', () => {
  const chain = new middleware.MiddlewareChain();
  let later = 0;
  chain.use((p) => (p.event === 'Signed Up' ? null : p));
  chain.use(() => { later += 1; });
  assert.deepEqual(chain.run(trackPayload()), { dropped: true });
  assert.equal(later, 0);
  assert.equal(chain.run({ type: 'track', event: 'Other' }).payload.event, 'Other');
  assert.equal(later, 1);
});

test('middleware: undefined keeps the payload, in-place changes included, without touching the caller\'s objects', () => {
  const chain = new middleware.MiddlewareChain();
  chain.use((p) => { p.properties.email = '[redacted]'; });
  chain.use((p) => { p.properties.app_version = '4.2.0'; return undefined; });
  const payload = trackPayload();
  const result = chain.run(payload);
  assert.deepEqual(result.payload, {
    type: 'track', event: 'Signed Up', properties: { email: '[redacted]', plan: 'pro', app_version: '4.2.0' },
  });
  assert.deepEqual(payload.properties, { email: 'a@b.c', plan: 'pro' });
});

test('middleware: a returned object replaces the payload', () => {
  const chain = new middleware.MiddlewareChain();
  const replacement = { type: 'identify', userId: 'u1', traits: { plan: 'pro' } };
  let received;
  chain.use(() => replacement);
  chain.use((p) => { received = p; });
  const result = chain.run(trackPayload());
  assert.equal(received, replacement);
  assert.equal(result.payload, replacement);
});

test('middleware: a throw refuses this event with its error, skips later middlewares, spares other events', () => {
  const chain = new middleware.MiddlewareChain();
  const boom = new Error('boom');
  let later = 0;
  chain.use((p) => { if (p.event === 'Bad') throw boom; });
  chain.use(() => { later += 1; });
  assert.deepEqual(chain.run({ type: 'track', event: 'Bad' }), { error: boom });
  assert.equal(later, 0);
  assert.equal(chain.run({ type: 'track', event: 'Good' }).payload.event, 'Good');
  assert.equal(later, 1);

  const odd = new middleware.MiddlewareChain();
  odd.use(() => { throw 'just a string'; });
  const { error } = odd.run(trackPayload());
  assert.ok(error instanceof Error);
  assert.match(error.message, /just a string/);
});

test('middleware: returning a Promise, a primitive or a payload without a valid type is an error', () => {
  for (const output of [Promise.resolve(trackPayload()), 'track', false, 0, [], { event: 'x' }, { type: 'screen' }]) {
    const chain = new middleware.MiddlewareChain();
    chain.use(() => output);
    const result = chain.run(trackPayload());
    assert.ok(result.error instanceof TypeError, `output ${String(output)} should be refused`);
  }
  const chain = new middleware.MiddlewareChain();
  chain.use(() => Promise.resolve(undefined));
  assert.match(chain.run(trackPayload()).error.message, /synchronous/);
});

test('middleware: the unsubscribe removes exactly its registration, and twice is harmless', () => {
  const chain = new middleware.MiddlewareChain();
  const calls = [];
  const tag = (name) => (p) => { calls.push(name); };
  const shared = tag('shared');
  const offA = chain.use(shared);
  chain.use(tag('b'));
  chain.use(shared);
  offA();
  offA();
  chain.run(trackPayload());
  assert.deepEqual(calls, ['b', 'shared']);
  assert.equal(chain.size, 2);
});

test('middleware: unsubscribing during a run takes effect from the next run', () => {
  const chain = new middleware.MiddlewareChain();
  const calls = [];
  let offSecond;
  chain.use(() => { calls.push(1); offSecond(); });
  offSecond = chain.use(() => { calls.push(2); });
  chain.run(trackPayload());
  chain.run(trackPayload());
  assert.deepEqual(calls, [1, 2, 1]);
});

test('middleware: use() with a non-function throws a TypeError at once', () => {
  const chain = new middleware.MiddlewareChain();
  for (const bad of [undefined, null, 'fn', {}, 42]) {
    assert.throws(() => chain.use(bad), TypeError);
  }
  assert.equal(chain.size, 0);
});

// ---------------------------------------------------------------- route watcher

/**
 * Installs a minimal browser (location, history, addEventListener) on globalThis for the
 * duration of `fn`, then restores what was there.
 */
async function withFakeBrowser(fn) {
  const names = ['location', 'history', 'addEventListener', 'removeEventListener'];
  const saved = names.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]);
  let url = new URL('https://shop.example/home?a=1');
  const listeners = new Map();
  const location = {
    get href() { return url.href; },
    get pathname() { return url.pathname; },
    get search() { return url.search; },
    get hash() { return url.hash; },
  };
  const calls = [];
  class FakeHistory {
    pushState(state, unused, next) {
      if (browser.failNext) {
        const error = browser.failNext;
        browser.failNext = undefined;
        throw error;
      }
      calls.push({ method: 'pushState', self: this, args: [state, unused, next] });
      if (next !== undefined && next !== null) url = new URL(next, url);
      return 'push-result';
    }
    replaceState(state, unused, next) {
      calls.push({ method: 'replaceState', self: this, args: [state, unused, next] });
      if (next !== undefined && next !== null) url = new URL(next, url);
      return 'replace-result';
    }
  }
  const history = new FakeHistory();
  const browser = {
    /** An error the next pushState throws instead of navigating (as cross-origin URLs do). */
    failNext: undefined,
    location,
    history,
    calls,
    listeners,
    /** What the browser does on back/forward: the URL changes, then popstate fires. */
    goTo(next) {
      url = new URL(next, url);
      for (const listener of [...(listeners.get('popstate') ?? [])]) listener({ type: 'popstate' });
    },
  };
  Object.assign(globalThis, {
    location,
    history,
    addEventListener(type, listener) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
    },
    removeEventListener(type, listener) {
      listeners.get(type)?.delete(listener);
    },
  });
  try {
    return await fn(browser);
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete globalThis[name];
    }
  }
}

test('routes: without history or addEventListener (Node) it is a no-op returning a no-op', () => {
  assert.equal(typeof globalThis.history, 'undefined');
  const seen = [];
  const unwatch = routes.watchRoutes((href) => seen.push(href));
  assert.equal(typeof unwatch, 'function');
  assert.doesNotThrow(unwatch);
  assert.deepEqual(seen, []);
});

test('routes: pushState to a new path notifies once, after the original ran, with its this and result', () =>
  withFakeBrowser(({ history, calls }) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push([href, calls.length]));
    const state = { page: 2 };
    assert.equal(history.pushState(state, '', '/products?page=2'), 'push-result');
    assert.deepEqual(seen, [['https://shop.example/products?page=2', 1]]);
    assert.equal(calls[0].self, history);
    assert.equal(calls[0].args[0], state);
    // Whatever `this` the caller gives is what the original sees.
    const elsewhere = { label: 'another this' };
    history.pushState.call(elsewhere, null, '', '/products?page=2');
    assert.equal(calls[1].self, elsewhere);
    // A new query alone is a new route too; replaceState counts like pushState.
    assert.equal(history.replaceState(null, '', '/products?page=3'), 'replace-result');
    assert.equal(seen.length, 2);
    unwatch();
  }));

test('routes: the same path and query, or a hash-only change, does not notify', () =>
  withFakeBrowser(({ history }) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push(href));
    history.pushState(null, '', '/home?a=1');
    history.replaceState(null, '', '/home?a=1');
    history.pushState(null, '', '#reviews');
    history.replaceState({ scroll: 10 }, '');
    history.pushState(null, '', '/home?a=1#top');
    assert.deepEqual(seen, []);
    history.pushState(null, '', '/cart#top');
    assert.deepEqual(seen, ['https://shop.example/cart#top']);
    unwatch();
  }));

test('routes: popstate with a new route notifies, a hash-only popstate does not', () =>
  withFakeBrowser((browser) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push(href));
    browser.goTo('/home?a=1#section');
    assert.deepEqual(seen, []);
    browser.goTo('/about');
    assert.deepEqual(seen, ['https://shop.example/about']);
    // Back to where the previous notification was made from: a change again.
    browser.goTo('/home?a=1');
    assert.deepEqual(seen, ['https://shop.example/about', 'https://shop.example/home?a=1']);
    unwatch();
  }));

test('routes: unwatch stops notifications and removes the popstate listener', () =>
  withFakeBrowser((browser) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push(href));
    assert.equal(browser.listeners.get('popstate').size, 1);
    unwatch();
    unwatch();
    assert.equal(browser.listeners.get('popstate').size, 0);
    assert.equal(browser.history.pushState(null, '', '/elsewhere'), 'push-result');
    browser.goTo('/again');
    assert.deepEqual(seen, []);
  }));

test('routes: two watchers are each notified once per change, and share one wrapper', () =>
  withFakeBrowser(({ history }) => {
    const first = [];
    const second = [];
    const unwatchFirst = routes.watchRoutes((href) => first.push(href));
    const wrapped = history.pushState;
    const unwatchSecond = routes.watchRoutes((href) => second.push(href));
    assert.equal(history.pushState, wrapped, 'the second watcher must not wrap again');
    history.pushState(null, '', '/a');
    assert.deepEqual(first, ['https://shop.example/a']);
    assert.deepEqual(second, ['https://shop.example/a']);
    unwatchFirst();
    history.pushState(null, '', '/b');
    assert.deepEqual(first, ['https://shop.example/a']);
    assert.deepEqual(second, ['https://shop.example/a', 'https://shop.example/b']);
    unwatchSecond();
  }));

test('routes: a watcher unwatched by another watcher during a notification is not notified', () =>
  withFakeBrowser(({ history }) => {
    const seen = [];
    let unwatchSecond = () => undefined;
    const unwatchFirst = routes.watchRoutes(() => { seen.push('first'); unwatchSecond(); });
    unwatchSecond = routes.watchRoutes(() => seen.push('second'));
    history.pushState(null, '', '/a');
    assert.deepEqual(seen, ['first']);
    unwatchFirst();
  }));

test('routes: cooperates with another library wrapping pushState after it, even once unwatched', () =>
  withFakeBrowser(({ history, calls }) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push(href));
    const ours = history.pushState;
    const theirs = [];
    history.pushState = function (...args) {
      theirs.push(this);
      return ours.apply(this, args);
    };
    assert.equal(history.pushState(null, '', '/x'), 'push-result');
    assert.deepEqual(seen, ['https://shop.example/x']);
    unwatch();
    assert.equal(history.pushState(null, '', '/y'), 'push-result');
    assert.deepEqual(theirs, [history, history]);
    assert.equal(calls.length, 2);
    assert.deepEqual(seen, ['https://shop.example/x']);
  }));

test('routes: a throwing listener does not break navigation and is reported asynchronously', () =>
  withFakeBrowser(async ({ history }) => {
    const reported = [];
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'reportError');
    globalThis.reportError = (error) => reported.push(error);
    try {
      const unwatch = routes.watchRoutes(() => { throw new Error('listener failed'); });
      assert.equal(history.pushState(null, '', '/z'), 'push-result');
      assert.equal(reported.length, 1);
      assert.equal(reported[0].message, 'listener failed');
      unwatch();
    } finally {
      if (saved) Object.defineProperty(globalThis, 'reportError', saved);
      else delete globalThis.reportError;
    }
  }));

test('routes: an exception from the original pushState reaches the caller and notifies nobody', () =>
  withFakeBrowser((browser) => {
    const seen = [];
    const unwatch = routes.watchRoutes((href) => seen.push(href));
    const refusal = new Error('SecurityError');
    browser.failNext = refusal;
    assert.throws(() => browser.history.pushState(null, '', 'https://other.example/'), refusal);
    assert.deepEqual(seen, []);
    browser.history.pushState(null, '', '/fine');
    assert.deepEqual(seen, ['https://shop.example/fine']);
    unwatch();
  }));

// ---------------------------------------------------------------- e-commerce

const ECOMMERCE_METHODS = [
  ['productViewed', 'Product Viewed', { product_id: 'p1', price: 19.9, currency: 'EUR' }],
  ['productListViewed', 'Product List Viewed', { list_id: 'summer', category: 'Shoes', products: [{ product_id: 'p1' }] }],
  ['productAdded', 'Product Added', { cart_id: 'c1', product_id: 'p1', quantity: 2 }],
  ['productRemoved', 'Product Removed', { cart_id: 'c1', product_id: 'p1' }],
  ['cartViewed', 'Cart Viewed', { cart_id: 'c1', products: [{ product_id: 'p1' }] }],
  ['checkoutStarted', 'Checkout Started', { order_id: 'o1', value: 30, currency: 'EUR', products: [] }],
  ['checkoutStepCompleted', 'Checkout Step Completed', { checkout_id: 'k1', step: 2, shipping_method: 'DHL' }],
  ['paymentInfoEntered', 'Payment Info Entered', { checkout_id: 'k1', payment_method: 'card' }],
  ['orderCompleted', 'Order Completed', { order_id: 'o1', total: 39.8, revenue: 30, shipping: 5, tax: 4.8 }],
  ['orderRefunded', 'Order Refunded', { order_id: 'o1', total: 39.8 }],
  ['couponApplied', 'Coupon Applied', { coupon_id: 'SPRING', discount: 5, order_id: 'o1' }],
  ['promotionViewed', 'Promotion Viewed', { promotion_id: 'promo1', creative: 'banner', position: 'top' }],
  ['promotionClicked', 'Promotion Clicked', { promotion_id: 'promo1', name: 'Spring' }],
];

test('ecommerce: each method tracks its spec event with the properties as given and returns track\'s result', async () => {
  const calls = [];
  const shop = ecommerce.createEcommerce(async (event, properties) => {
    calls.push([event, properties]);
    return { ok: true, event };
  });
  for (const [method, event, properties] of ECOMMERCE_METHODS) {
    // Destructured on purpose: the helpers must not depend on `this`.
    const { [method]: helper } = shop;
    assert.deepEqual(await helper(properties), { ok: true, event }, method);
    const [sentEvent, sentProperties] = calls.at(-1);
    assert.equal(sentEvent, event, method);
    assert.equal(sentProperties, properties, `${method} should pass its properties through`);
  }
  assert.equal(calls.length, ECOMMERCE_METHODS.length);
  assert.deepEqual(Object.keys(shop).sort(), ECOMMERCE_METHODS.map(([method]) => method).sort());
});

test('ecommerce: ECOMMERCE_EVENTS lists exactly the 13 spec event names the helpers send', () => {
  assert.equal(ecommerce.ECOMMERCE_EVENTS.length, 13);
  assert.deepEqual([...ecommerce.ECOMMERCE_EVENTS].sort(), ECOMMERCE_METHODS.map(([, event]) => event).sort());
});

test('ecommerce: a rejected track rejects the helper, and a non-function track is refused at once', async () => {
  const failure = new Error('refused');
  const shop = ecommerce.createEcommerce(() => Promise.reject(failure));
  await assert.rejects(shop.orderCompleted({ order_id: 'o1' }), failure);
  assert.throws(() => ecommerce.createEcommerce(undefined), TypeError);
});

test('modules have no side effects at import time', async () => {
  // A bare import of a module without side effects bundles to nothing. ignoreAnnotations
  // makes esbuild look at the code itself rather than trust package.json's sideEffects.
  for (const file of ['campaign.ts', 'identity-params.ts', 'middleware.ts', 'route-watcher.ts', 'ecommerce.ts']) {
    const result = await build({
      stdin: { contents: `import './${file}';`, resolveDir: SRC, loader: 'ts' },
      write: false, format: 'esm', bundle: true, platform: 'neutral', minify: true,
      ignoreAnnotations: true, logLevel: 'silent',
    });
    assert.equal(result.outputFiles[0].text.trim(), '', `${file} runs code when imported`);
  }
  // And importing them all above (in Node) left no browser global behind.
  assert.equal(typeof globalThis.history, 'undefined');
  assert.equal(typeof globalThis.location, 'undefined');
});

// ---------------------------------------------------------------- snippet

/** A stand-in client recording what is called on it, in order. */
function recordingClient(options, calls) {
  calls.push(['create', options]);
  const record = (name) => (...args) => calls.push([name, ...args]);
  return {
    track: record('track'), identify: record('identify'), page: record('page'),
    consent: { set: record('consent.set') }, decisions: { report: record('decisions.report') },
  };
}

test('snippet: init creates the client, every other recorded call replays after it in order', () => {
  const calls = [];
  const warnings = [];
  const stub = [['track', 'Early'], ['init', { writeKey: 'k' }], ['identify', 'u1'], ['consent.set', { marketing: true }],
    ['constructor', 'x'], ['consent.__proto__', 1], 'not a call', ['decisions.report', 'd1', 'shown'], ['page']];
  const adopted = snippet.adoptSnippet(stub, (options) => recordingClient(options, calls), { extra: 1 }, (m) => warnings.push(m));
  assert.deepEqual(calls, [['create', { writeKey: 'k' }], ['track', 'Early'], ['identify', 'u1'], ['consent.set', { marketing: true }],
    ['decisions.report', 'd1', 'shown'], ['page']]);
  assert.equal(adopted.extra, 1);
  assert.equal(warnings.length, 3, warnings.join('\n'));
});

test('snippet: without init the stub keeps recording until parcours.init()', () => {
  const calls = [];
  const stub = [['track', 'Before init']];
  const result = snippet.adoptSnippet(stub, (options) => recordingClient(options, calls), {}, () => {});
  assert.equal(result, stub);
  assert.deepEqual(calls, []);
  stub.push(['track', 'Still before']);
  const saved = globalThis.parcours;
  try {
    const client = stub.init({ writeKey: 'late' });
    assert.equal(globalThis.parcours, client);
  } finally {
    globalThis.parcours = saved;
  }
  assert.deepEqual(calls, [['create', { writeKey: 'late' }], ['track', 'Before init'], ['track', 'Still before']]);
});

// ---------------------------------------------------------------- decision methods

test('decision methods: each action is reported once, nothing after dismissed or closed, and JSON keeps data only', async () => {
  const reports = [];
  const decision = decisions.withActions({ id: 'd1', campaign: { id: 'c', name: 'C' }, content: { kind: 'offer' } },
    async (id, action) => {
      reports.push(`${id}:${action}`);
      return { ok: true };
    });
  await decision.shown();
  await decision.shown();
  await decision.clicked();
  await decision.clicked();
  await decision.dismissed();
  await decision.converted();
  await decision.closed();
  assert.deepEqual(reports, ['d1:shown', 'd1:clicked', 'd1:dismissed']);
  assert.deepEqual(JSON.parse(JSON.stringify(decision)), { id: 'd1', campaign: { id: 'c', name: 'C' }, content: { kind: 'offer' } });
});

// ---------------------------------------------------------------- effect runner, forward mode

test('effect runner: a batch forwarded to a native app settles flush() with the core\'s newest queue state', async () => {
  const { EffectRunner } = await load('effect-runner.ts');
  const forwarded = [];
  const dispatched = [];
  const runner = new EffectRunner({
    store: { get: () => null, set() {}, remove() {} }, storageKey: (k) => k, writeKey: 'k', fetch: undefined,
    requestTimeoutMs: 30000, gzip: false, logger: console, debug: false, now: () => 0, show() {},
    forward: (batch) => forwarded.push(batch.batchId) > 0,
    // The core answers the delivery with its newer state: nothing in flight, nothing pending.
    dispatch: (input) => {
      dispatched.push(input);
      runner.apply({ ok: true, effects: [], queue: { pending: 0, inFlight: 0, retrying: false, paused: false } });
    },
  });
  runner.apply({
    ok: true,
    effects: [{ type: 'send', batchId: 'b1', url: 'u', body: '{"batch":[]}', events: 1, unload: false }],
    queue: { pending: 1, inFlight: 1, retrying: false, paused: false },
  });
  assert.deepEqual(forwarded, ['b1'], 'handed over at once');
  assert.deepEqual(dispatched, [], 'the core hears of it after this output\'s effects');
  let settled = null;
  void runner.whenSettled().then((pending) => { settled = pending; });
  for (let i = 0; i < 5 && settled === null; i += 1) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(dispatched, [{ type: 'delivered', batchId: 'b1', status: 200 }]);
  assert.equal(settled, 0, 'flush() settles on the delivery, not on a later timer');
});

test('utcOffsetMinutes: the ruleset zone\'s offset at that instant, from Temporal when present, else Intl', () => {
  const summer = new Date('2026-07-01T12:00:00Z');
  const winter = new Date('2026-01-15T12:00:00Z');
  assert.equal(decisions.utcOffsetMinutes('Europe/Paris', summer), 120);
  assert.equal(decisions.utcOffsetMinutes('Europe/Paris', winter), 60);
  assert.equal(decisions.utcOffsetMinutes('Asia/Kolkata', winter), 330);
  assert.equal(decisions.utcOffsetMinutes('No/Such_Zone', winter), -winter.getTimezoneOffset());
  const saved = globalThis.Temporal;
  const asked = [];
  globalThis.Temporal = { Instant: { fromEpochMilliseconds: (ms) => ({ toZonedDateTimeISO: (zone) => {
    asked.push([ms, zone]);
    if (zone === 'No/Such_Zone') throw new RangeError('unknown zone');
    return { offsetNanoseconds: 9 * 3600e9 };
  } }) } };
  try {
    assert.equal(decisions.utcOffsetMinutes('Asia/Tokyo', winter), 540);
    assert.deepEqual(asked, [[winter.getTime(), 'Asia/Tokyo']]);
    assert.equal(decisions.utcOffsetMinutes('No/Such_Zone', winter), -winter.getTimezoneOffset());
  } finally {
    if (saved === undefined) delete globalThis.Temporal;
    else globalThis.Temporal = saved;
  }
});

// ---------------------------------------------------------------- call batch

/** A CallBatch whose core answers each call of a "calls" input with a message id. */
function recordingBatch() {
  const inputs = [];
  const batch = new callBatch.CallBatch({
    handle(input) {
      const calls = JSON.parse(input).calls;
      inputs.push({ chars: input.length, ids: calls.map((call) => call.properties.i) });
      return { ok: true, effects: [], results: calls.map((call) => ({ ok: true, messageId: `m${call.properties.i}` })) };
    },
    settled() {},
    now: () => 1,
  });
  return { batch, inputs };
}

test('call batch: calls made in one go cross together at the next microtask', async () => {
  const { batch, inputs } = recordingBatch();
  const results = [0, 1, 2].map((i) => batch.add(callBatch.callJson({ type: 'track', event: 'E', properties: { i } }, 1), 'track'));
  assert.equal(inputs.length, 0, 'nothing crosses before the microtask');
  assert.deepEqual((await Promise.all(results)).map((r) => r.messageId), ['m0', 'm1', 'm2']);
  assert.deepEqual(inputs.map((input) => input.ids), [[0, 1, 2]]);
});

test('call batch: a synchronous burst crosses each full crossing at once, in order, none over 64 KB', async () => {
  const { batch, inputs } = recordingBatch();
  const padding = 'x'.repeat(1000);
  const results = [];
  for (let i = 0; i < 200; i += 1) {
    results.push(batch.add(callBatch.callJson({ type: 'track', event: 'E', properties: { i, padding } }, 1), 'track'));
  }
  // About 200 KB of calls: the first crossings went while the loop ran, the rest waits.
  assert.ok(inputs.length >= 2, `crossed during the burst: ${inputs.length}`);
  const crossedEarly = inputs.flatMap((input) => input.ids).length;
  assert.ok(crossedEarly < 200);
  const settled = await Promise.all(results);
  assert.deepEqual(settled.map((r) => r.messageId), results.map((_, i) => `m${i}`));
  assert.deepEqual(inputs.flatMap((input) => input.ids), results.map((_, i) => i));
  for (const input of inputs) assert.ok(input.chars <= 64 * 1024 + 64, `a crossing of ${input.chars} characters`);
});

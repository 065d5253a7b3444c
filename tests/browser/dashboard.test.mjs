// The collector dashboard in Chromium: its funnel, lift and revenue numbers match the stored
// events, the live stream shows an event as it is stored, the journey view lists one customer
// across channels, cart abandoners get their "email" link, and the page stays usable at 375 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPage, waitFor } from '../support/browser.mjs';
import { useShopAndBrowser } from '../support/browser-suite.mjs';

const env = useShopAndBrowser();
const SCREENSHOT = process.env.PARCOURS_DASHBOARD_SCREENSHOT; // a path prefix, to look at the page while working on it

let seq = 0;
function track(event, minutesAgo, ids, properties = {}, context = {}) {
  seq += 1;
  return {
    type: 'track', event, messageId: `dash-${seq}`, timestamp: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    properties, context: { library: { name: 'test' }, ...context }, ...ids,
  };
}
const offer = (event, minutesAgo, ids, decision, extra = {}, context = {}) => track(event, minutesAgo, ids, {
  campaign_id: 'cart-reminder', campaign_name: 'Cart reminder', variant_id: 'coupon', placement: 'modal', holdout: false,
  ruleset_revision: 'demo', decision_id: decision, ...extra,
}, context);

const ANA = { anonymousId: 'a-ana', userId: 'ana' };
const EMAIL_VISIT = { session: { id: 's-mail', campaign: { source: 'email', medium: 'email', name: 'cart_reminder' } } };
const FIXTURE = [
  track('Product Added', 50, { anonymousId: 'a-ana' }, { product_id: 'mug', name: 'Mug', price: 12, quantity: 1, currency: 'EUR' }, { session: { id: 's-web' } }),
  { ...track('', 49, ANA), type: 'identify', event: undefined, traits: { email: 'ana@example.com' } },
  offer('Offer Shown', 48, ANA, 'd1'),
  offer('Offer Clicked', 47, ANA, 'd1'),
  track('Product Viewed', 20, ANA, { product_id: 'mug' }, EMAIL_VISIT),
  track('Order Completed', 19, ANA, { order_id: 'o1', revenue: 24, currency: 'EUR' }, { ...EMAIL_VISIT, offers: [{ campaign_id: 'cart-reminder', decision_id: 'd1' }] }),
  offer('Offer Converted', 19, ANA, 'd1', { attribution: 'click', order_id: 'o1', revenue: 24, currency: 'EUR' }, EMAIL_VISIT),
  track('Cart Viewed', 10, ANA, {}, { channel: 'ios-webview', session: { id: 's-app' } }),
  offer('Offer Shown', 40, { anonymousId: 'a-bob' }, 'd2', { variant_id: 'reminder' }),
  offer('Offer Dismissed', 39, { anonymousId: 'a-bob' }, 'd2', { variant_id: 'reminder' }),
  track('Product Added', 41, { anonymousId: 'a-bob' }, { product_id: 'tote', name: 'Tote <b>bag</b>', price: 39 }),
  offer('Offer Held Out', 30, { anonymousId: 'a-hal' }, 'd3', { variant_id: null, holdout: true }),
];

const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().textContent();

test('dashboard numbers match the stored events; the stream is live; journeys and abandoners work', async () => {
  env.server.store.append(FIXTURE);
  const { context, page, errors } = await newPage(env.browser, { viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${env.url ?? env.server.url}/dashboard`);
    await page.waitForSelector('[data-testid="funnel-cart-reminder-shown"]');
    await waitFor(async () => (await text(page, 'stream-status')) === 'Live', { what: 'the stream to connect' });

    // Funnel, lift and revenue against the stored events.
    const stored = env.server.store.all();
    const decisions = (name) => new Set(stored.filter((e) => e.event === name && e.properties.campaign_id === 'cart-reminder').map((e) => e.properties.decision_id)).size;
    assert.equal(Number(await text(page, 'funnel-cart-reminder-shown')), decisions('Offer Shown'));
    assert.equal(Number(await text(page, 'funnel-cart-reminder-clicked')), decisions('Offer Clicked'));
    assert.equal(Number(await text(page, 'funnel-cart-reminder-converted')), decisions('Offer Converted'));
    assert.equal(Number(await text(page, 'funnel-cart-reminder-dismissed')), 1);
    assert.equal(Number(await text(page, 'funnel-cart-reminder-heldout')), 1);
    assert.equal(await text(page, 'variant-cart-reminder-coupon-visitors'), '1');
    assert.equal(await text(page, 'variant-cart-reminder-coupon-rate'), '100.0%');
    assert.equal(await text(page, 'variant-cart-reminder-holdout-rate'), '0.0%');
    assert.equal(await text(page, 'variant-cart-reminder-coupon-lift'), '–', 'no lift against a holdout nobody in converted');
    assert.equal(await text(page, 'revenue-cart-reminder-eur'), '€24.00');
    assert.equal(await text(page, 'revenue-total-eur'), '€24.00');
    assert.equal(await text(page, 'overview-events'), String(stored.length));

    // The chart has a text alternative.
    const chartLabel = await page.locator('[data-testid="traffic-chart"] svg').getAttribute('aria-label');
    assert.match(chartLabel, /^Events per minute: \d+ events in 30 minutes/);

    // Live: an event stored now shows in the stream and the numbers follow.
    env.server.store.append([offer('Offer Shown', 0, { anonymousId: 'a-new' }, 'd9')]);
    await page.waitForSelector('[data-testid="stream-item"][data-message-id="dash-13"]');
    await waitFor(async () => (await text(page, 'funnel-cart-reminder-shown')) === '3', { what: 'the funnel to count the new decision' });

    // Cart abandoners: bob (anonymous, idle 39 min), not ana (ordered).
    const abandoners = page.locator('[data-testid="abandoner"]');
    assert.deepEqual(await abandoners.evaluateAll((rows) => rows.map((r) => r.dataset.customer)), ['a-bob']);
    const link = await abandoners.first().locator('[data-testid="abandoner-email-link"]').getAttribute('href');
    assert.equal(link, `${env.server.url}/shop/?pc_aid=a-bob&utm_source=email&utm_medium=email&utm_campaign=cart_reminder`);
    assert.equal(await page.locator('tbody b').count(), 0, 'event text is shown as text, never as markup');

    // Journey: picked by anonymous id, merged with the user, across web, email and webview visits.
    await page.fill('#journey-id', 'a-ana');
    await page.click('#journey-form button[type="submit"]');
    await page.waitForSelector('[data-testid="journey-event"]');
    const steps = await page.locator('[data-testid="journey-event"]').evaluateAll((items) => items.map((li) => li.dataset.channel));
    assert.deepEqual(steps, ['web', 'web', 'web', 'web', 'email', 'email', 'email', 'ios-webview']);
    assert.match(await text(page, 'journey-customer'), /ana@example\.com/);
    assert.match(page.url(), /\?customer=a-ana$/);

    // Headings and table semantics for the numbers.
    assert.equal(await page.locator('h1').count(), 1);
    assert.ok(await page.locator('h2').count() >= 6);
    assert.ok(await page.locator('table th[scope="col"]').count() >= 10);
    if (SCREENSHOT) await page.screenshot({ path: `${SCREENSHOT}-1280.png`, fullPage: true });

    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling of the page at 375 px');
    if (SCREENSHOT) {
      await page.waitForTimeout(300); // the chart redraws at the new width after a resize pause
      await page.screenshot({ path: `${SCREENSHOT}-375.png`, fullPage: true });
      await page.screenshot({ path: `${SCREENSHOT}-375-top.png` });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a wrong write key brings up the key form; the right one loads the numbers', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.goto(`${env.server.url}/dashboard/#key=wrong`);
    await page.waitForSelector('#key-form:not([hidden])');
    await page.fill('#key-input', 'demo-key');
    await page.click('#key-form button');
    await waitFor(async () => (await text(page, 'stream-status')) === 'Live', { what: 'the stream to connect' });
    await page.waitForSelector('[data-testid="funnel-cart-reminder-shown"]');
    assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  } finally {
    await context.close();
  }
});

// The six journeys of the demo shop, end to end in Chromium against the demo ruleset
// (demo/rules/shop.json; the cart reminder's idle delay cut to 2 s): each offer appears where
// and when it should (the A/B holdout sees nothing and is recorded), and the dashboard's
// funnel counts match the events the collector stored. Screenshots for the README are saved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newPage } from '../support/browser.mjs';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { CATALOG, waitForStored } from '../support/shop-server.mjs';
import { anonymousIdOf, demoRules, newVisitor, offerText, waitForShop } from '../support/journeys.mjs';

const env = useShopAndBrowser();
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Runs one journey as a new visitor and closes its context, whatever happens. */
async function journey(path, run, contextOptions) {
  env.server.rules.set(demoRules());
  const visitor = await newVisitor(env, path, contextOptions);
  try {
    await run(visitor.page);
    await visitor.page.evaluate(() => window.shop.parcours.flush());
    assert.deepEqual(visitor.errors, []);
  } finally {
    await visitor.context.close();
  }
}

const offerEvents = (anonymousId, campaign) => env.server.store.all()
  .filter((e) => e.anonymousId === anonymousId && e.event?.startsWith('Offer ') && e.properties.campaign_id === campaign)
  .map((e) => e.event);

test('1. cart reminder: a cart left idle shows a modal with its items and a coupon; not again after dismiss', () =>
  journey('/shop/category.html?c=kitchen', async (page) => {
    await page.getByRole('button', { name: 'Add Stoneware Breakfast Mug to cart' }).click();
    const text = await offerText(page, 'modal');
    assert.match(text, /Stoneware Breakfast Mug/);
    assert.match(text, /CART10/);
    await page.screenshot({ path: `${SCREENSHOTS}shop-cart-reminder.png`, animations: 'disabled' });
    const anonymousId = await anonymousIdOf(page);
    await page.keyboard.press('Escape');
    // The cart changes and idles again: dismissed for the session, so no second reminder.
    await page.getByRole('button', { name: 'Add Stoneware Breakfast Mug to cart' }).click();
    await page.waitForTimeout(3500);
    assert.equal(await page.locator('parcours-offer[data-parcours-campaign="cart-reminder"]').count(), 0);
    await page.evaluate(() => window.shop.parcours.flush());
    await waitForStored(env.server.store, () => offerEvents(anonymousId, 'cart-reminder').includes('Offer Dismissed'));
    assert.deepEqual(offerEvents(anonymousId, 'cart-reminder'), ['Offer Shown', 'Offer Dismissed']);
  }));

test('2. cross-sell: the product page\'s inline slot shows the product\'s accessories', () =>
  journey('/shop/product.html?id=stoneware-mug', async (page) => {
    const text = await offerText(page, 'inline:cross-sell');
    const accessories = await page.evaluate(() => window.shop.product.accessories);
    assert.ok(accessories.length > 0);
    const names = accessories.map((id) => CATALOG.products.find((product) => product.id === id).name);
    assert.ok(names.some((name) => text.includes(name)), `${text} lists one of ${names}`);
  }));

test('3. out of stock: alternatives and the click & collect message', () =>
  journey('/shop/product.html?id=stoneware-teapot', async (page) => {
    const text = await offerText(page, 'inline:out-of-stock');
    assert.match(text, /store|collect/i);
    assert.ok((await page.evaluate(() => window.shop.product.alternatives)).length > 0);
  }));

test('4. reactivation: a returning customer whose last order is old is welcomed back', () =>
  journey('/shop/login.html', async (page) => {
    await page.locator('button[data-user-id="cust-lea"]').click();
    await page.waitForURL(/\/shop\/(index\.html)?(\?|#|$)/);
    await waitForShop(page);
    const text = await offerText(page, 'modal');
    assert.match(text, /Welcome back/i);
  }));

test('5. lead capture: half-way down the home page on a first visit, 10% off for an email address', () =>
  journey('/shop/', async (page) => {
    await page.mouse.move(640, 400);
    for (let i = 0; i < 8; i += 1) await page.mouse.wheel(0, 400);
    const text = await offerText(page, 'slide-in');
    assert.match(text, /10%/);
    const anonymousId = await anonymousIdOf(page);
    await page.locator('parcours-offer input[type=email]').fill('new.visitor@example.com');
    await page.locator('parcours-offer input[type=checkbox]').check();
    await page.locator('parcours-offer button[type=submit]').click();
    await page.locator('parcours-offer .code').waitFor();
    await page.evaluate(() => window.shop.parcours.flush());
    const events = await waitForStored(env.server.store, (all) => all.some((e) => e.type === 'identify'
      && e.anonymousId === anonymousId && e.traits?.email === 'new.visitor@example.com'), { what: 'the captured email' });
    assert.ok(events.some((e) => e.anonymousId === anonymousId && e.event === 'Offer Converted'));
  }));

for (const [anonymousId, variant] of [['demo-ab-threshold-4', 'threshold'], ['demo-ab-coupon-4', 'coupon'], ['demo-ab-holdout-12', null]]) {
  test(`6. A/B: visitor ${anonymousId} gets ${variant ?? 'the holdout: nothing shown, Offer Held Out recorded'}`, () =>
    journey(`/shop/category.html?c=home&pc_aid=${anonymousId}`, async (page) => {
      await page.getByRole('button', { name: /^Add .* to cart$/ }).first().click();
      await page.goto(`${env.server.url}/shop/cart.html`);
      await waitForShop(page);
      if (variant) {
        await offerText(page, 'banner');
      } else {
        await page.waitForTimeout(1500);
        assert.equal(await page.locator('parcours-offer[data-parcours-placement="banner"]').count(), 0);
      }
      await page.evaluate(() => window.shop.parcours.flush());
      const expected = variant ? 'Offer Shown' : 'Offer Held Out';
      const events = await waitForStored(env.server.store, (all) => all.some((e) => e.anonymousId === anonymousId
        && e.event === expected && e.properties.campaign_id === 'free-shipping-ab'), { what: expected });
      const recorded = events.find((e) => e.anonymousId === anonymousId && e.event === expected);
      assert.equal(recorded.properties.variant_id, variant);
      assert.equal(recorded.properties.holdout, variant === null);
    }));
}

test('the dashboard\'s funnel counts match the stored offer events of the journeys', async () => {
  const stored = env.server.store.all();
  const offers = stored.filter((e) => e.event?.startsWith('Offer '));
  const campaigns = [...new Set(offers.map((e) => e.properties.campaign_id))];
  assert.ok(campaigns.length >= 6, `the journeys produced offer events for ${campaigns.join(', ')}`);
  const distinct = (campaign, name, filter = () => true) => new Set(offers
    .filter((e) => e.properties.campaign_id === campaign && e.event === name && filter(e))
    .map((e) => e.properties.decision_id ?? e.messageId)).size;
  const opened = await newPage(env.browser, { viewport: { width: 1280, height: 900 } });
  try {
    await opened.page.goto(`${env.server.url}/dashboard`);
    for (const campaign of campaigns) {
      const id = campaign.toLowerCase().replace(/[^a-z0-9_]+/g, '-');
      const expected = {
        shown: distinct(campaign, 'Offer Shown'),
        clicked: distinct(campaign, 'Offer Clicked'),
        converted: distinct(campaign, 'Offer Converted', (e) => e.properties.holdout !== true),
        dismissed: distinct(campaign, 'Offer Dismissed'),
        heldout: distinct(campaign, 'Offer Held Out'),
      };
      for (const [step, count] of Object.entries(expected)) {
        const cell = opened.page.locator(`[data-testid="funnel-${id}-${step}"]`).first();
        await cell.waitFor();
        assert.equal(Number(await cell.textContent()), count, `${campaign} ${step}`);
      }
    }
    await opened.page.locator('[data-testid="stream-status"]', { hasText: 'Live' }).waitFor();
    await opened.page.screenshot({ path: `${SCREENSHOTS}dashboard.png`, fullPage: true, animations: 'disabled' });
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.context.close();
  }
});

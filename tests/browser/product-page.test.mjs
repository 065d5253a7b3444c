// The demo product page in real Chromium: a shopper views a product and adds it to the cart;
// the collector must hold exactly one well-formed Segment event for each action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep } from '../support/browser.mjs';
import { CATALOG, eventsNamed, waitForStored } from '../support/shop-server.mjs';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const env = useShopAndBrowser();

test('Add to cart sends exactly one Product Added (and one Product Viewed) to the collector', async () => {
  const product = CATALOG.products[1];
  const pageUrl = `${env.server.url}/shop/product.html?id=${product.id}&flush=200`;
  const { context, page, errors, messages } = await newPage(env.browser);
  try {
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.shop?.parcours !== undefined, null, { timeout: 10_000 });
    await page.evaluate(() => window.shop.parcours.ready);
    await page.getByRole('heading', { level: 1, name: product.name }).waitFor({ timeout: 5_000 });

    // As a shopper: two of them, then the button.
    await page.getByRole('button', { name: 'Increase quantity' }).click();
    assert.equal(await page.getByRole('spinbutton', { name: 'Quantity' }).inputValue(), '2');
    await page.getByRole('button', { name: 'Add to cart' }).click();

    await waitForStored(env.server.store, (events) => events.some((e) => e.event === 'Product Added'), {
      what: 'Product Added in the collector',
    });
    await sleep(1_000);  // Room for a duplicate delivery to show up.

    const added = eventsNamed(env.server.store, 'Product Added');
    const viewed = eventsNamed(env.server.store, 'Product Viewed');
    assert.equal(added.length, 1, `exactly one Product Added, got ${added.length}`);
    assert.equal(viewed.length, 1, `exactly one Product Viewed, got ${viewed.length}`);
    const [event] = added;

    assert.equal(event.type, 'track');
    assert.equal(event.properties.product_id, product.id);
    assert.equal(event.properties.sku, product.sku);
    assert.equal(event.properties.name, product.name);
    assert.equal(event.properties.price, product.price);
    assert.equal(event.properties.category, product.category);
    assert.equal(event.properties.currency, CATALOG.currency);
    assert.equal(event.properties.quantity, 2);
    assert.equal(typeof event.properties.cart_id, 'string');
    assert.ok(event.properties.cart_id.length > 0, 'cart_id is set');
    assert.equal(event.properties.url, `${env.server.url}/shop/product.html?id=${product.id}`);
    assert.equal(event.properties.image_url, `${env.server.url}/shop/${product.image}`);

    assert.equal(typeof event.messageId, 'string');
    assert.ok(event.messageId.length > 0, 'messageId is set');
    assert.equal(typeof event.anonymousId, 'string');
    assert.ok(event.anonymousId.length > 0, 'anonymousId is set');
    assert.match(event.timestamp, ISO_TIMESTAMP);
    assert.ok(!Number.isNaN(Date.parse(event.timestamp)), 'timestamp parses');
    assert.equal(event.context?.page?.url, pageUrl);
    assert.equal(event.context?.library?.name, 'parcours');

    // Viewed and Added come from the same visitor, the one the SDK reports in the page.
    assert.equal(viewed[0].anonymousId, event.anonymousId);
    assert.equal(await page.evaluate(() => window.shop.parcours.anonymousId()), event.anonymousId);
    assert.equal(viewed[0].properties.product_id, product.id);
    assert.equal(viewed[0].properties.quantity, undefined);
    // The messageId the page was given is the one stored.
    const pageResult = await page.evaluate(() => window.shop.tracked.find((t) => t.event === 'Product Added')?.result);
    assert.deepEqual(pageResult, { ok: true, messageId: event.messageId });

    assert.equal(env.server.store.stats.duplicates, 0, 'the collector saw no duplicate delivery');

    // What the shopper sees.
    assert.equal(await page.locator('#cart-count').textContent(), '2');
    assert.match(await page.getByRole('status').textContent(), /Tracked: Product Added ✓/);

    assert.deepEqual(errors, [], `page reported errors:\n${errors.join('\n')}\n--- console:\n${messages.join('\n')}`);
  } finally {
    await context.close();
  }
});

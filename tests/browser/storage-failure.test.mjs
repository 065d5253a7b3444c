// Storage that refuses every write (quota exceeded, or disabled) must not break tracking:
// the SDK keeps its state in memory, the page sees no exception, events are delivered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage } from '../support/browser.mjs';
import { CATALOG, eventsNamed, waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

async function addToCartWithBrokenStorage(breakStorage, productIndex) {
  const product = CATALOG.products[productIndex];
  const { context, page, errors, messages } = await newPage(env.browser);
  await context.addInitScript(breakStorage);
  try {
    await page.goto(`${env.server.url}/shop/product.html?id=${product.id}&flush=100`);
    await page.evaluate(() => window.shop.parcours.ready);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForStored(env.server.store, (events) =>
      events.some((e) => e.event === 'Product Added' && e.properties.product_id === product.id));
    const writes = await page.evaluate(() => window.__storageWrites);
    return { errors, messages, writes, product };
  } finally {
    await context.close();
  }
}

test('localStorage throwing on every write: events still delivered, no page exception', async () => {
  const { errors, writes, product } = await addToCartWithBrokenStorage(() => {
    window.__storageWrites = 0;
    Storage.prototype.setItem = function refuse() {
      window.__storageWrites += 1;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  }, 0);
  assert.ok(writes > 0, 'the page did try to write');
  assert.deepEqual(errors, []);
  const added = eventsNamed(env.server.store, 'Product Added').filter((e) => e.properties.product_id === product.id);
  assert.equal(added.length, 1);
});

test('storage filling up after load: one warning, then memory, and events still delivered', async () => {
  const { errors, messages, product } = await addToCartWithBrokenStorage(() => {
    window.__storageWrites = 0;
    const original = Storage.prototype.setItem;
    // The SDK's load-time probe succeeds; every parcours write after it hits the quota.
    Storage.prototype.setItem = function fillUp(key, value) {
      window.__storageWrites += 1;
      if (String(key).startsWith('parcours:')) throw new DOMException('full', 'QuotaExceededError');
      return original.call(this, key, value);
    };
  }, 1);
  assert.deepEqual(errors, []);
  assert.equal(messages.filter((m) => m.includes('localStorage refused a write')).length, 1);
  const added = eventsNamed(env.server.store, 'Product Added').filter((e) => e.properties.product_id === product.id);
  assert.equal(added.length, 1);
});

// The demo shop in real Chromium: every page loads without a console error, and a scripted
// purchase (browse → add → cart → checkout → order) sends the Segment e-commerce v2 events,
// with their spec properties, to the collector. The collector publishes no ruleset here, so
// no offer comes in the way; the journeys with offers are their own tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage } from '../support/browser.mjs';
import { CATALOG, eventsNamed, waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

const PAGES = [
  ['/shop/', 'Small-batch goods for the home, made in France'],
  ['/shop/category.html', 'All products'],
  ['/shop/category.html?c=kitchen', 'Kitchen'],
  ['/shop/product.html?id=stoneware-mug', 'Stoneware Breakfast Mug'],
  ['/shop/product.html?id=stoneware-teapot', 'Stoneware Teapot'],
  ['/shop/cart.html', 'Your cart'],
  ['/shop/checkout.html', 'Checkout'],
  ['/shop/order.html?order_id=MP-TEST', 'Thank you for your order'],
  ['/shop/login.html', 'Sign in'],
  ['/shop/tour.html', 'Demo tour: six customer journeys'],
];

test('every shop page loads its SDK and draws without a console error', async () => {
  const { context, page, errors, messages } = await newPage(env.browser);
  try {
    for (const [path, heading] of PAGES) {
      await page.goto(`${env.server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 5_000 });
      await page.waitForFunction(() => window.shop?.parcours?.ready !== undefined, null, { timeout: 10_000 });
      await page.evaluate(() => window.shop.parcours.ready);
      await page.locator('#cart-count').waitFor();
    }
    assert.deepEqual(errors, [], `page reported errors:\n${errors.join('\n')}\n--- console:\n${messages.join('\n')}`);
  } finally {
    await context.close();
  }
});

test('the home page installs the SDK with the pre-load snippet and the script-tag build', async () => {
  const { context, page, errors } = await newPage(env.browser);
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  try {
    await page.goto(`${env.server.url}/shop/?flush=100`);
    await page.waitForFunction(() => window.shop?.parcours?.ready !== undefined);
    assert.equal(await page.evaluate(() => Array.isArray(window.parcours)), false, 'the snippet stub became the client');
    await waitForStored(env.server.store, (events) => events.some((e) => e.event === 'Product List Viewed'
      && e.properties.list_id === 'home-bestsellers'));
    assert.ok(requested.includes('/dist/parcours.js'), 'the script-tag build was loaded');
    assert.ok(!requested.includes('/dist/parcours.mjs'), 'and not the ESM build');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a purchase sends the e-commerce v2 events with their spec properties', async () => {
  const { context, page, errors, messages } = await newPage(env.browser);
  const mug = CATALOG.products.find((p) => p.id === 'stoneware-mug');
  const shopReady = async () => {
    await page.waitForFunction(() => window.shop?.parcours?.ready !== undefined);
    await page.evaluate(() => window.shop.parcours.ready);
  };
  try {
    await page.goto(`${env.server.url}/shop/category.html?c=kitchen&flush=100`);
    await shopReady();
    await page.getByRole('link', { name: mug.name }).click();
    await page.getByRole('heading', { level: 1, name: mug.name }).waitFor();
    await shopReady();
    await page.getByRole('button', { name: 'Increase quantity' }).click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForFunction(() => document.getElementById('cart-count').textContent === '2');

    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Your cart' }).waitFor();
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByRole('heading', { level: 1, name: 'Checkout' }).waitFor();
    await page.getByLabel('Email').fill('ana@shop.test');
    await page.getByLabel('First name').fill('Ana');
    await page.getByLabel('Last name').fill('Lopez');
    await page.getByLabel('Address').fill('3 rue Neuve');
    await page.getByLabel('Postcode').fill('69001');
    await page.getByLabel('City').fill('Lyon');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/order\.html\?/);
    await page.getByRole('heading', { level: 1, name: 'Thank you, Ana!' }).waitFor();
    const orderId = new URL(page.url()).searchParams.get('order_id');
    await shopReady();
    await page.evaluate(() => window.shop.parcours.flush());
    await waitForStored(env.server.store, (events) => events.some((e) => e.event === 'Order Completed'));

    const visitor = await page.evaluate(() => window.shop.parcours.anonymousId());
    const mine = (name) => eventsNamed(env.server.store, name).filter((e) => e.anonymousId === visitor);
    const one = (name) => {
      const found = mine(name);
      assert.equal(found.length, 1, `one ${name}, got ${found.length}`);
      return found[0].properties;
    };
    const list = one('Product List Viewed');
    assert.equal(list.list_id, 'kitchen');
    assert.equal(list.category, 'Kitchen');
    assert.deepEqual(list.products.map((p) => p.position), list.products.map((_, i) => i + 1));
    const viewed = one('Product Viewed');
    assert.equal(viewed.product_id, mug.id);
    assert.equal(viewed.in_stock, true);
    assert.deepEqual(viewed.recommendations.map((p) => p.product_id), mug.accessories);
    assert.deepEqual(viewed.alternatives, []);
    const added = one('Product Added');
    assert.equal(added.quantity, 2);
    assert.equal(typeof added.cart_id, 'string');
    const cart = one('Cart Viewed');
    assert.equal(cart.cart_id, added.cart_id);
    assert.deepEqual(cart.products.map((p) => [p.product_id, p.quantity]), [[mug.id, 2]]);
    const started = one('Checkout Started');
    const subtotal = mug.price * 2;
    assert.equal(started.value, subtotal);
    assert.equal(started.currency, 'EUR');
    assert.equal(typeof started.checkout_id, 'string');
    const steps = mine('Checkout Step Completed').map((e) => e.properties);
    assert.deepEqual(steps.map((s) => [s.step, s.checkout_id, s.shipping_method]),
      [[1, started.checkout_id, 'standard'], [2, started.checkout_id, 'standard']]);
    const payment = one('Payment Info Entered');
    assert.equal(payment.payment_method, 'card');
    assert.equal(payment.order_id, orderId);
    const order = one('Order Completed');
    assert.equal(order.order_id, orderId);
    assert.equal(order.checkout_id, started.checkout_id);
    assert.equal(order.currency, 'EUR');
    assert.equal(order.subtotal, subtotal);
    assert.equal(order.revenue, subtotal);
    assert.equal(order.shipping, 4.9, 'a €37 order pays standard shipping (free from €60)');
    assert.equal(order.total, subtotal + 4.9);
    assert.deepEqual(order.products.map((p) => [p.product_id, p.quantity, p.price]), [[mug.id, 2, mug.price]]);
    // The checkout told the SDK who the guest is (traits only: still anonymous).
    const identify = env.server.store.all().find((e) => e.type === 'identify' && e.anonymousId === visitor);
    assert.equal(identify.traits.email, 'ana@shop.test');
    assert.equal(identify.userId, undefined);
    // The order emptied the SDK's cart, and the header says so.
    const state = await page.evaluate(() => window.shop.parcours.inspect());
    assert.equal(state.cart.itemCount, 0);
    assert.equal(state.cart.lastOrder.order_id, orderId);
    assert.equal(await page.locator('#cart-count').textContent(), '0');
    assert.deepEqual(errors, [], `page reported errors:\n${errors.join('\n')}\n--- console:\n${messages.join('\n')}`);
  } finally {
    await context.close();
  }
});

// An event tracked right before the visitor follows a link to another origin must still reach
// the collector — through the unload path (keepalive / sendBeacon), since the shop's flush
// interval is ten minutes and the visitor never comes back — exactly once after dedupe.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage } from '../support/browser.mjs';
import { CATALOG, eventsNamed, waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();
let elsewhere;
let elsewhereUrl;

before(async () => {
  // Another origin: same host, another port.
  elsewhere = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Elsewhere</title><h1>Another site</h1>');
  });
  await new Promise((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${elsewhere.address().port}/`;
});

after(() => new Promise((resolve) => elsewhere.close(resolve)));

test('an event tracked right before navigating to another origin is delivered once', async () => {
  const product = CATALOG.products[0];
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.goto(`${env.server.url}/shop/product.html?id=${product.id}&flush=600000`);
    await page.evaluate(() => window.shop.parcours.ready);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    const messageId = await page.waitForFunction(() => {
      const added = window.shop.tracked.find((t) => t.event === 'Product Added');
      return added?.result?.messageId;
    }).then((handle) => handle.jsonValue());
    assert.equal(eventsNamed(env.server.store, 'Product Added').length, 0, 'nothing sent before leaving');

    await page.evaluate((url) => {
      location.href = url;
    }, elsewhereUrl);
    await page.waitForURL(elsewhereUrl);
    await waitForStored(env.server.store, (events) => events.some((e) => e.messageId === messageId), {
      what: 'the Product Added sent while unloading',
    });
    await new Promise((resolve) => setTimeout(resolve, 500));  // Room for a duplicate to show.
    const added = eventsNamed(env.server.store, 'Product Added');
    assert.equal(added.length, 1);
    assert.equal(added[0].messageId, messageId);
    assert.equal(added[0].properties.product_id, product.id);
    console.log(`unload-navigation: duplicates refused by the collector = ${env.server.store.stats.duplicates}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

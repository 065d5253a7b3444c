// Leaving a page with events still queued: the SDK flushes on pagehide (fetch keepalive) and
// the next load restores the queue from localStorage. Whichever path wins, the collector must
// end up with the event exactly once (it dedupes by messageId).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep } from '../support/browser.mjs';
import { CATALOG, eventsNamed, waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

test('an event queued when the page reloads is delivered exactly once', async () => {
  const product = CATALOG.products[0];
  // 60 s: nothing leaves on a timer during the test, only on pagehide or after the reload.
  const pageUrl = `${env.server.url}/shop/product.html?id=${product.id}&flush=60000`;
  const { context, page, errors, messages } = await newPage(env.browser);
  try {
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.shop?.parcours !== undefined, null, { timeout: 10_000 });
    await page.evaluate(() => window.shop.parcours.ready);

    await page.getByRole('button', { name: 'Add to cart' }).click();
    const messageId = await page.evaluate(
      () => window.shop.tracked.find((t) => t.event === 'Product Added')?.result?.messageId,
    );
    assert.equal(typeof messageId, 'string', 'the page got a messageId for Product Added');
    // The premise: the event is only queued (and persisted), not sent yet.
    assert.equal(eventsNamed(env.server.store, 'Product Added').length, 0, 'Product Added was not sent before the reload');

    await page.reload();
    // Informational: did the pagehide keepalive flush get it there before the new page loaded?
    const beforeRestore = env.server.store.all().some((e) => e.messageId === messageId);
    await page.waitForFunction(() => window.shop?.parcours !== undefined, null, { timeout: 10_000 });
    await page.evaluate(() => window.shop.parcours.ready);

    await waitForStored(env.server.store, (events) => events.some((e) => e.messageId === messageId), {
      what: `Product Added ${messageId} in the collector after the reload`,
    });
    // Let the restore path finish too, so a second copy (deduped or not) has had its chance.
    const settled = await page.evaluate(() => window.shop.parcours.flush());
    await sleep(1_000);

    const copies = env.server.store.all().filter((e) => e.messageId === messageId);
    console.log(`reload-resume: Product Added first arrived via the ${beforeRestore ? 'pagehide keepalive flush' : 'restored queue'};`
      + ` collector stats.duplicates = ${env.server.store.stats.duplicates} (re-sent copies it refused, all events)`);
    assert.equal(copies.length, 1, `exactly one stored copy of ${messageId}, got ${copies.length}`);
    assert.equal(eventsNamed(env.server.store, 'Product Added').length, 1, 'exactly one Product Added in the store');
    assert.equal(copies[0].properties.product_id, product.id);
    assert.equal(copies[0].properties.quantity, 1);
    assert.equal(settled.delivered, true, `the reloaded page drained its queue: ${JSON.stringify(settled)}`);
    assert.equal(settled.pending, 0);

    // The shop's own cart survived the reload too.
    assert.equal(await page.locator('#cart-count').textContent(), '1');
    assert.deepEqual(errors, [], `page reported errors:\n${errors.join('\n')}\n--- console:\n${messages.join('\n')}`);
  } finally {
    await context.close();
  }
});

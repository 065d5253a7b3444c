// Consent in a real page: before analytics consent nothing is written to localStorage or
// cookies and nothing is sent; once granted, events flow; once withdrawn, the unsent queue and
// the stored ids are gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep, waitFor } from '../support/browser.mjs';

const env = useShopAndBrowser();

function storedParcoursKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('parcours:')));
}

test('consent: memory only and silent until granted, purged when withdrawn', async () => {
  const { context, page, errors } = await newPage(env.browser);
  // Count every storage write the page makes, the SDK's probes included.
  await context.addInitScript(() => {
    window.__writes = [];
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function spy(key, value) {
      window.__writes.push(String(key));
      return setItem.call(this, key, value);
    };
  });
  try {
    await page.goto(`${env.server.url}/test-pages/tracker.html?consent=pending&flush=50`);
    await page.waitForFunction(() => window.tracker !== undefined);
    await page.evaluate(() => window.tracker.parcours.ready);
    const waiting = await page.evaluate(() => window.tracker.trackMany(5, 'before-consent'));
    await sleep(500);  // Ten flush intervals.
    assert.deepEqual(await page.evaluate(() => window.__writes), [], 'nothing written before consent');
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.equal(env.server.store.count(), 0, 'nothing sent before consent');

    const granted = await page.evaluate(() => window.tracker.parcours.consent.set({ analytics: true }));
    assert.equal(granted.ok, true);
    assert.equal(granted.categoryPreferences.analytics, true);
    await waitFor(() => env.server.store.count() === 5, { what: 'the events that waited for consent' });
    assert.deepEqual(new Set(env.server.store.all().map((e) => e.messageId)), new Set(waiting));
    assert.ok(env.server.store.all().every((e) => e.context.consent.categoryPreferences.analytics === null),
      'stamped with the decision in force when recorded');

    // Keep the next events unsent, then withdraw.
    env.server.chaos.set({ offline: true });
    const anonymousBefore = await page.evaluate(() => window.tracker.parcours.anonymousId());
    await page.evaluate(() => window.tracker.parcours.identify('u-consent', { email: 'c@shop.test' }));
    await page.evaluate(() => window.tracker.trackMany(3, 'unsent'));
    assert.ok((await storedParcoursKeys(page)).some((key) => key.includes(':q:')), 'unsent events are stored');
    const withdrawn = await page.evaluate(() => window.tracker.parcours.consent.set({ analytics: false }));
    assert.equal(withdrawn.categoryPreferences.analytics, false);
    assert.deepEqual(await storedParcoursKeys(page), [], 'queue and identity erased from storage');
    env.server.chaos.set({ offline: false });
    const refused = await page.evaluate(() => window.tracker.parcours.track('After Withdrawal'));
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'consent.denied');
    await sleep(500);
    assert.equal(env.server.store.count(), 5, 'nothing unsent went out after withdrawal');
    assert.notEqual(await page.evaluate(() => window.tracker.parcours.anonymousId()), anonymousBefore);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

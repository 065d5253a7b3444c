// navigator.onLine false pauses sending (no attempt is burnt on a network the browser knows
// is down); the "online" event sends what waited at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep, waitFor } from '../support/browser.mjs';

const env = useShopAndBrowser();

test('offline pauses delivery without failed attempts; online resumes it', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.goto(`${env.server.url}/test-pages/tracker.html?flush=50`);
    await page.waitForFunction(() => window.tracker !== undefined);
    await page.evaluate(() => window.tracker.parcours.ready);
    await context.setOffline(true);
    const ids = await page.evaluate(() => window.tracker.trackMany(30, 'offline'));
    await sleep(1000);  // Twenty flush intervals: nothing may go out, nothing may fail.
    const paused = await page.evaluate(() => window.tracker.parcours.stats());
    assert.equal(paused.retries, 0);
    assert.equal(env.server.store.count(), 0);
    await context.setOffline(false);
    await waitFor(() => env.server.store.count() === ids.length, { what: 'the events after going online' });
    assert.deepEqual(new Set(env.server.store.all().map((e) => e.messageId)), new Set(ids));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

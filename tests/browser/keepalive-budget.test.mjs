// Regression: successful responses were never read, and Chromium counts a keepalive request
// against the page's 64 KB budget until its response is, so after ~64 KB of batches every
// keepalive fetch failed with "Failed to fetch" and delivery stalled in retries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage } from '../support/browser.mjs';

const env = useShopAndBrowser();

test('many keepalive batches in a row (far past 64 KB in total) are all delivered first time', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.goto(`${env.server.url}/test-pages/tracker.html?flush=20&batch=20`);
    await page.waitForFunction(() => window.tracker !== undefined);
    const ids = await page.evaluate(async () => {
      const all = [];
      for (let run = 0; run < 15; run += 1) {
        all.push(...(await window.tracker.trackMany(20, `run-${run}`)));
        await window.tracker.parcours.flush();
      }
      return all;
    });
    const stats = await page.evaluate(() => window.tracker.parcours.stats());
    assert.equal(ids.length, 300);
    assert.equal(stats.delivered, 300);
    assert.equal(stats.retries, 0, 'no request failed');
    assert.equal(env.server.store.count(), 300);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The client listens to the page and to the site's other tabs from its constructor, before
// the core has loaded: events heard then wait for init, and after a failed load they are
// ignored, never thrown into the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep } from '../support/browser.mjs';

const env = useShopAndBrowser();

/** Page and tab events that reach the client's listeners. */
async function stirThePage(page, otherTab) {
  await page.evaluate(() => {
    dispatchEvent(new Event('offline'));
    dispatchEvent(new Event('online'));
    history.pushState({}, '', '/test-pages/tracker.html?moved=1');
    document.dispatchEvent(new Event('visibilitychange'));
    dispatchEvent(new Event('scroll'));
  });
  // "storage" fires in the other tabs of the origin: a queue entry, a removal, caps.
  await otherTab.evaluate(() => {
    localStorage.setItem('parcours:demo-key:q:other-tab', '{"v":3,"at":1,"seq":0,"events":[],"envelopes":[]}');
    localStorage.removeItem('parcours:demo-key:q:other-tab');
    localStorage.setItem('parcours:demo-key:caps', '{}');
  });
}

test('after a failed load, page and tab events are ignored without an error in the page', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    const otherTab = await context.newPage();
    await otherTab.goto(`${env.server.url}/health`);
    await page.goto(`${env.server.url}/test-pages/tracker.html?wasm=/dist/missing.wasm`);
    await page.waitForFunction(() => window.tracker !== undefined);
    const failure = await page.evaluate(() => window.tracker.parcours.ready.then(() => 'ready', (error) => error.code));
    assert.equal(failure, 'shell.load_failed');
    await stirThePage(page, otherTab);
    await sleep(300);
    // The load failure itself is logged once (beside the browser's own 404 line); nothing
    // else reaches the console or throws.
    const ours = errors.filter((error) => !error.includes('Failed to load resource'));
    assert.equal(ours.length, 1, errors.join('\n'));
    assert.match(ours[0], /parcours\.shell\.load_failed/);
    const refused = await page.evaluate(() => window.tracker.parcours.track('After Failure'));
    assert.equal(refused.ok, false);
  } finally {
    await context.close();
  }
});

test('events heard while loading do not disturb tracking once ready', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    const otherTab = await context.newPage();
    await otherTab.goto(`${env.server.url}/health`);
    await page.goto(`${env.server.url}/test-pages/tracker.html?flush=50`);
    await page.waitForFunction(() => window.tracker !== undefined);
    await stirThePage(page, otherTab);  // Likely before init on this VM; after it at worst.
    await page.evaluate(() => window.tracker.parcours.ready);
    const ids = await page.evaluate(() => window.tracker.trackMany(5, 'after-stir'));
    await page.evaluate(() => window.tracker.parcours.flush());
    const delivered = new Set(env.server.store.all().map((event) => event.messageId));
    for (const id of ids) assert.ok(delivered.has(id), `event ${id} delivered`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

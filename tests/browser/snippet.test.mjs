// The pre-load snippet: calls a site makes before the script-tag build has loaded (held back
// here for half a second) are recorded, replayed in order once it runs, and reach the
// collector in that order, followed by calls made after load. The page's snippet is the one
// docs/SNIPPET.md tells sites to paste.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { newPage, sleep } from '../support/browser.mjs';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

/** The first ```html block of docs/SNIPPET.md, without its placeholder lines. */
function documentedSnippet() {
  const doc = fs.readFileSync(new URL('../../docs/SNIPPET.md', import.meta.url), 'utf8');
  const block = doc.match(/```html\n<script>\n([\s\S]*?)<\/script>/)[1];
  return block.split('\n').filter((line) => !line.startsWith('parcours.')).join('\n').trim();
}

test('docs/SNIPPET.md and the test page paste the same snippet', () => {
  const page = fs.readFileSync(new URL('./pages/snippet.html', import.meta.url), 'utf8');
  const pasted = page.match(/<script>\n(!function[\s\S]*?)<\/script>/)[1].trim();
  assert.equal(pasted.replace('"/dist/parcours.js"', '"SRC"'), documentedSnippet().replace(/"https:[^"]+parcours\.js"/, '"SRC"'));
});

test('calls made before the SDK loads arrive in order, then the ones made after', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.route('**/dist/parcours.js', async (route) => {
      await sleep(500);
      await route.continue();
    });
    await page.goto(`${env.server.url}/test-pages/snippet.html`);
    assert.equal(await page.evaluate(() => window.stubbed), true, 'the first calls were made before the script ran');
    await page.waitForFunction(() => !Array.isArray(window.parcours), null, { timeout: 10000 });
    await page.evaluate(async () => {
      await window.parcours.track('Call 6', { n: 6 });
      await window.parcours.ready;
      await window.parcours.flush();
    });
    const events = await waitForStored(env.server.store, (all) => all.some((e) => e.event === 'Call 6'), { what: 'Call 6' });
    const sequence = events.map((e) => (e.type === 'track' ? e.event : `${e.type}${e.name ? `:${e.name}` : ''}`));
    assert.deepEqual(sequence, ['Call 1', 'identify', 'page:Snippet', 'Call 4', 'Call 5', 'Call 6']);
    assert.equal(events[0].userId ?? null, null);
    assert.equal(events[3].userId, 'u-snippet');
    assert.equal(events[3].context.consent.categoryPreferences.marketing, true);
    assert.equal(await page.evaluate(() => typeof window.parcours.createParcours), 'function');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

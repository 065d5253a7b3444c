// The script-tag (IIFE) build in real Chromium: loaded with a classic <script src>, it must find
// parcours.wasm next to itself (via document.currentScript) and deliver an event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, sleep } from '../support/browser.mjs';
import { eventsNamed, waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

test('dist/parcours.js from a classic script tag loads its wasm and delivers an event', async () => {
  const pageUrl = `${env.server.url}/shop/script-tag.html`;
  const { context, page, errors, messages } = await newPage(env.browser);
  const requested = [];
  page.on('request', (request) => requested.push(request.url()));
  try {
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.shop?.flushed !== undefined, null, { timeout: 10_000 });

    await waitForStored(env.server.store, (events) => events.some((e) => e.event === 'Script Tag Loaded'), {
      what: 'Script Tag Loaded in the collector',
    });
    await sleep(500);

    const loaded = eventsNamed(env.server.store, 'Script Tag Loaded');
    assert.equal(loaded.length, 1, `exactly one Script Tag Loaded, got ${loaded.length}`);
    assert.equal(loaded[0].context?.library?.name, 'parcours');
    assert.equal(loaded[0].context?.page?.url, pageUrl);
    assert.deepEqual(loaded[0].properties, { build: 'iife' });

    // The wasm was resolved against the script's src (/dist/), not the page (/shop/).
    assert.ok(requested.includes(`${env.server.url}/dist/parcours.wasm`),
      `parcours.wasm fetched from /dist/; requests were:\n${requested.join('\n')}`);
    assert.ok(!requested.includes(`${env.server.url}/shop/parcours.wasm`), 'no attempt to fetch the wasm next to the page');

    const flushed = await page.evaluate(() => window.shop.flushed);
    assert.equal(flushed.delivered, true, `flush() delivered everything: ${JSON.stringify(flushed)}`);
    assert.equal(flushed.pending, 0);
    const [{ result }] = await page.evaluate(() => window.shop.tracked);
    assert.deepEqual(result, { ok: true, messageId: loaded[0].messageId });
    assert.equal(env.server.store.stats.duplicates, 0);
    assert.deepEqual(errors, [], `page reported errors:\n${errors.join('\n')}\n--- console:\n${messages.join('\n')}`);
  } finally {
    await context.close();
  }
});

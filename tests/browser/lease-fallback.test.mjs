// Without the Web Locks API, a lease in localStorage elects the delivering tab: only one tab
// sends (it adopts what the other stores), and when it closes the other takes over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTracker, useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitFor } from '../support/browser.mjs';

const env = useShopAndBrowser();

test('a localStorage lease elects one delivering tab and hands over when it closes', async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'locks', { get: () => undefined });
  });
  const errors = [];
  const open = () => openTracker(context, `${env.server.url}/test-pages/tracker.html?flush=100`, errors);
  const stats = (tab) => tab.evaluate(() => window.tracker.parcours.stats());
  try {
    const first = await open();
    const second = await open();
    assert.equal(await second.evaluate(() => navigator.locks), undefined);
    await second.evaluate(() => window.tracker.trackMany(20, 'second'));
    await first.evaluate(() => window.tracker.trackMany(20, 'first'));
    await waitFor(() => env.server.store.count() === 40, { what: '40 events from both tabs' });
    // The collector stores a batch before its answer reaches the tab: let the leader settle.
    await first.evaluate(() => window.tracker.parcours.flush());
    assert.equal((await stats(first)).delivered, 40, 'the leader delivered both tabs\' events');
    assert.equal((await stats(second)).delivered, 0, 'the follower sent nothing');

    await first.close({ runBeforeUnload: true });
    const later = await second.evaluate(() => window.tracker.trackMany(20, 'after-handover'));
    await waitFor(() => env.server.store.count() === 60, { timeoutMs: 15_000, what: 'events after the handover' });
    const stored = new Set(env.server.store.all().map((event) => event.messageId));
    assert.ok(later.every((id) => stored.has(id)));
    await second.evaluate(() => window.tracker.parcours.flush());
    assert.ok((await stats(second)).delivered >= 20, 'the second tab took over delivery');
    // At-least-once: a handover may re-send a batch whose confirmation the closing tab never
    // processed; the collector dedupes it. Every event is stored exactly once.
    assert.equal(new Set(env.server.store.all().map((event) => event.messageId)).size, 60);
    console.log(`lease-fallback: duplicates received and deduped = ${env.server.store.stats.duplicates}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Decisions made in one tab hold in the site's other open tabs without a reload: a login
// (identify), a logout (reset), and above all a consent withdrawal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTracker, useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitFor } from '../support/browser.mjs';

const env = useShopAndBrowser();

test('identify, reset and consent withdrawal in one tab apply in the other', async () => {
  const context = await env.browser.newContext();
  const errors = [];
  const open = () => openTracker(context, `${env.server.url}/test-pages/tracker.html?flush=50`, errors);
  const inspect = (tab) => tab.evaluate(() => window.tracker.parcours.inspect());
  try {
    const a = await open();
    const b = await open();

    await a.evaluate(() => window.tracker.parcours.identify('u-sync', { plan: 'pro' }));
    await waitFor(async () => (await inspect(b)).userId === 'u-sync', { what: 'the login in the other tab' });
    const fromB = await b.evaluate(() => window.tracker.parcours.track('From The Other Tab'));
    await b.evaluate(() => window.tracker.parcours.flush());
    await a.evaluate(() => window.tracker.parcours.flush());
    await waitFor(() => env.server.store.all().some((e) => e.messageId === fromB.messageId), { what: "B's event" });
    assert.equal(env.server.store.all().find((e) => e.messageId === fromB.messageId).userId, 'u-sync');

    await a.evaluate(() => window.tracker.parcours.reset());
    const newAnonymous = await a.evaluate(() => window.tracker.parcours.anonymousId());
    await waitFor(async () => (await inspect(b)).anonymousId === newAnonymous, { what: 'the logout in the other tab' });
    assert.equal((await inspect(b)).userId, null);

    await a.evaluate(() => window.tracker.parcours.consent.set({ analytics: false }));
    await waitFor(async () => (await inspect(b)).consent.analytics === false, { what: 'the withdrawal in the other tab' });
    const refused = await b.evaluate(() => window.tracker.parcours.track('After Withdrawal Elsewhere'));
    assert.equal(refused.ok, false);
    assert.equal(refused.error.code, 'consent.denied');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

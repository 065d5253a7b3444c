// Headless mode in Chromium: with an onDecision handler the built-in renderer draws nothing,
// the handler gets the decision with its methods, and calling them (twice, as a re-rendering
// component might) tracks each offer event once and frees the placement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';
import { offerEventsByDecision, openOffersPage, placementRules } from '../support/offers-page.mjs';

const env = useShopAndBrowser();

test('onDecision takes over rendering; decision.shown/clicked/dismissed keep caps and tracking', async () => {
  const rules = placementRules(undefined, ['modal']);
  env.server.rules.set(rules);
  const { context, page, errors } = await openOffersPage(env, { query: 'headless', revision: rules.revision });
  try {
    await page.evaluate(() => window.offersPage.parcours.track('Show modal'));
    await page.waitForFunction(() => window.offersPage.decisions.length === 1);
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => document.querySelectorAll('parcours-offer').length), 0, 'nothing drawn');
    const decision = await page.evaluate(() => JSON.parse(JSON.stringify(window.offersPage.decisions[0])));
    assert.equal(decision.campaign.id, 'modal');
    assert.equal(decision.content.kind, 'offer');
    assert.equal(decision.content.coupon, 'CART10');

    // The placement is busy until the handler says the offer is gone.
    await page.evaluate(() => window.offersPage.parcours.track('Show modal'));
    assert.equal(await page.evaluate(() => window.offersPage.decisions.length), 1);
    await page.evaluate(async () => {
      const [shown] = window.offersPage.decisions;
      await shown.shown();
      await shown.shown();
      await shown.clicked();
      await shown.clicked();
      await shown.dismissed();
      await window.offersPage.parcours.track('Show modal');
      await window.offersPage.parcours.flush();
    });
    assert.equal(await page.evaluate(() => window.offersPage.decisions.length), 2, 'dismissed: the placement is free again');
    await waitForStored(env.server.store,
      () => Object.values(offerEventsByDecision(env.server.store, 'modal')).some((seq) => seq.includes('Offer Dismissed')),
      { what: 'the dismissal' });
    const sequence = offerEventsByDecision(env.server.store, 'modal')[decision.id];
    assert.deepEqual(sequence, ['Offer Shown', 'Offer Clicked', 'Offer Dismissed']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

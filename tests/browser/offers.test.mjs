// The built-in renderer in Chromium, one test per placement: the offer shows on its trigger,
// is labelled for assistive technology, closes with its close button and with Escape, keeps
// focus where it belongs (moved into a modal and trapped there; never stolen by the others)
// and gives it back, and Offer Shown / Clicked / Dismissed reach the collector once each.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';
import {
  PLACEMENTS, fillCart, focusIs, offerEventsByDecision, openOffersPage, placementRules, showOffer, slug,
} from '../support/offers-page.mjs';

const env = useShopAndBrowser();

const offerCount = (page) => page.evaluate(() => document.querySelectorAll('parcours-offer').length);
const inOffer = (page, selector) => page.locator(`parcours-offer ${selector}`);

/** Waits until the collector has every decision of `campaign` with its dismissal, then returns them. */
async function dismissedDecisions(page, campaign, count) {
  await page.evaluate(() => window.offersPage.parcours.flush());
  await waitForStored(env.server.store, () => {
    const decisions = Object.values(offerEventsByDecision(env.server.store, campaign));
    return decisions.filter((events) => events.includes('Offer Dismissed')).length >= count;
  }, { what: `${count} dismissed ${campaign} offers` });
  return offerEventsByDecision(env.server.store, campaign);
}

async function expectTrapped(page) {
  for (let i = 0; i < 8; i += 1) {
    await page.keyboard.press('Tab');
    assert.match(await focusIs(page), /^offer:/, `Tab ${i + 1} left the dialog`);
  }
  for (let i = 0; i < 8; i += 1) {
    await page.keyboard.press('Shift+Tab');
    assert.match(await focusIs(page), /^offer:/, `Shift+Tab ${i + 1} left the dialog`);
  }
}

for (const placement of PLACEMENTS) {
  const campaign = slug(placement);
  const modal = placement === 'modal';

  test(`${placement}: shows on its trigger, closes with the button and with Escape, focus handled, events once each`, async () => {
    const rules = placementRules();
    env.server.rules.set(rules);
    const { context, page, errors } = await openOffersPage(env, { revision: rules.revision });
    try {
      await fillCart(page);
      await page.focus('#before');
      const slotTop = await page.evaluate(() => document.getElementById('after-slot').getBoundingClientRect().top);
      assert.equal(await offerCount(page), 0, 'nothing shows before the trigger');

      // First showing: clicked twice (counted once), then Escape.
      await showOffer(page, placement);
      const card = inOffer(page, '.card');
      assert.equal(await card.getAttribute('role'), modal ? 'dialog' : 'region');
      assert.equal(await card.getAttribute('aria-modal'), modal ? 'true' : null);
      const titleId = await card.getAttribute('aria-labelledby');
      assert.equal(await inOffer(page, `#${titleId}`).textContent(), 'Your cart is waiting, friend');
      assert.equal(await inOffer(page, '.body').textContent(), 'Complete your €57.50 order today and save 10% with this code.');
      assert.equal(await inOffer(page, '.code').textContent(), 'CART10');
      assert.equal(await inOffer(page, '.close').getAttribute('aria-label'), 'Close');
      if (placement === 'inline:cross-sell') {
        const after = await page.evaluate(() => document.getElementById('after-slot').getBoundingClientRect().top);
        assert.equal(after, slotTop, 'the reserved slot did not move the content after it');
      }
      if (modal) {
        assert.match(await focusIs(page), /^offer:/, 'focus moved into the dialog');
        await expectTrapped(page);
      } else {
        assert.equal(await focusIs(page), 'page:before', 'a non-modal offer does not steal focus');
      }
      await inOffer(page, 'a.cta').click();
      await inOffer(page, 'a.cta').click();
      if (!modal) {
        // The visitor tabs into the offer from the page, then presses Escape.
        await page.focus('#before');
        await page.evaluate(() => document.querySelector('parcours-offer').shadowRoot.querySelector('.cta').focus());
        assert.equal(await focusIs(page), 'offer:cta');
      }
      await page.keyboard.press('Escape');
      assert.equal(await offerCount(page), 0, 'Escape closed it');
      assert.equal(await focusIs(page), 'page:before', 'focus went back where it was');

      // Second showing: the close button.
      await page.focus('#before');
      await showOffer(page, placement);
      await inOffer(page, '.close').click();
      assert.equal(await offerCount(page), 0, 'the close button closed it');
      assert.equal(await focusIs(page), 'page:before', 'focus went back where it was');

      const byDecision = await dismissedDecisions(page, campaign, 2);
      const sequences = Object.values(byDecision);
      assert.equal(sequences.length, 2, JSON.stringify(byDecision));
      assert.deepEqual(sequences[0].sort(), ['Offer Clicked', 'Offer Dismissed', 'Offer Shown']);
      assert.deepEqual(sequences[1].sort(), ['Offer Dismissed', 'Offer Shown']);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('a modal closes when the dimmed page around it is clicked, and animates only without reduced motion', async () => {
  const rules = placementRules(undefined, ['modal']);
  env.server.rules.set(rules);
  for (const reducedMotion of ['no-preference', 'reduce']) {
    const { context, page, errors } = await openOffersPage(env, { revision: rules.revision, contextOptions: { reducedMotion } });
    try {
      await showOffer(page, 'modal');
      const animation = await page.evaluate(() =>
        getComputedStyle(document.querySelector('parcours-offer').shadowRoot.querySelector('.card')).animationName);
      assert.equal(animation, reducedMotion === 'reduce' ? 'none' : 'parcours-rise');
      await page.mouse.click(5, 5);
      assert.equal(await offerCount(page), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

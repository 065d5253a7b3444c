// Helpers of the offer renderer tests: a ruleset with one campaign per placement (each shown
// by its own event), the offers test page (tests/browser/pages/offers.html) opened ready,
// and reading an offer's shadow DOM from the test.
import { newPage, waitInPage } from './browser.mjs';

export const PLACEMENTS = ['modal', 'slide-in', 'banner', 'banner:bottom', 'inline:cross-sell'];

/** A file-name and campaign-id friendly name: `banner:bottom` → `banner-bottom`. */
export const slug = (placement) => placement.replace(/[^a-z0-9]+/gi, '-');

export const CART_REMINDER = {
  title: 'Your cart is waiting, {{user.traits.first_name | default: "friend"}}',
  body: 'Complete your {{cart.value | money}} order today and save 10% with this code.',
  coupon: 'CART10',
  cta: 'Back to my cart',
  ctaUrl: '#cart',
  dismiss: 'No thanks',
  products: { from: 'cart.items', limit: 3 },
};

/** One campaign per placement, shown by `track('Show <placement>')`, all with `content`. */
export function placementRules(content = CART_REMINDER, placements = PLACEMENTS) {
  return {
    format: 1,
    revision: `offers-${Date.now()}`,
    campaigns: placements.map((placement) => ({
      id: slug(placement),
      name: `Offer at ${placement}`,
      placement,
      trigger: { type: 'event', event: `Show ${placement}` },
      content,
    })),
  };
}

/** Opens offers.html (`query` e.g. `hostile`) in a fresh context, ready and deciding with `revision`. */
export async function openOffersPage(env, { query = '', revision, contextOptions = {} } = {}) {
  const { context, page, errors } = await newPage(env.browser, { viewport: { width: 1280, height: 900 }, ...contextOptions });
  await page.goto(`${env.server.url}/test-pages/offers.html${query ? `?${query}` : ''}`);
  await page.waitForFunction(() => window.offersPage !== undefined);
  await page.evaluate(() => window.offersPage.parcours.ready);
  if (revision) {
    await waitInPage(page, async (want) => (await window.offersPage.parcours.inspect()).rules?.revision === want, revision,
      { what: `ruleset ${revision}` });
  }
  return { context, page, errors };
}

/** Puts two products in the cart (for the product cards and the `{{cart.value}}` template). */
export function fillCart(page) {
  return page.evaluate(async () => {
    const { parcours } = window.offersPage;
    for (const [id, name, price] of [['linen-tote', 'Linen Market Tote', 39], ['stoneware-mug', 'Stoneware Breakfast Mug', 18.5]]) {
      await parcours.track('Product Added', {
        product_id: id, name, price, quantity: 1, currency: 'EUR',
        url: `/shop/product.html?id=${id}`, image_url: `/shop/images/${id}.svg`,
      });
    }
  });
}

/** Tracks the event of `placement`'s campaign and waits until its offer is on the page. */
export async function showOffer(page, placement) {
  const tracked = await page.evaluate((event) => window.offersPage.parcours.track(event), `Show ${placement}`);
  try {
    await page.waitForFunction(() => document.querySelector('parcours-offer')?.shadowRoot?.querySelector('.card') != null,
      null, { timeout: 10000 });
  } catch (error) {
    // Say what the client knew, so a failure on a loaded machine can be told from a bug.
    const state = await page.evaluate(async () => {
      const inspected = await window.offersPage.parcours.inspect();
      return { rules: inspected?.rules, session: inspected?.session, consent: inspected?.consent };
    });
    throw new Error(`no ${placement} offer within 10 s (track: ${JSON.stringify(tracked)}; client: ${JSON.stringify(state)}): ${error.message}`);
  }
}

/** Where focus is: `page:<id>` for a page element, `offer:<class or tag>` inside an offer, or `none`. */
export function focusIs(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.tagName === 'PARCOURS-OFFER') {
      const inner = active.shadowRoot.activeElement;
      return `offer:${inner ? inner.className || inner.tagName.toLowerCase() : 'none'}`;
    }
    return active && active !== document.body ? `page:${active.id || active.tagName.toLowerCase()}` : 'none';
  });
}

/** Offer events the collector stored, by decision id: `{ [decisionId]: ['Offer Shown', …] }`. */
export function offerEventsByDecision(store, campaignId) {
  const byDecision = {};
  for (const event of store.all()) {
    if (!event.event?.startsWith('Offer ') || event.properties?.campaign_id !== campaignId) continue;
    (byDecision[event.properties.decision_id] ??= []).push(event.event);
  }
  return byDecision;
}

// On-device decisions in Chromium: the ruleset comes from the collector's /v1/decisions, a
// real timer fires the cart reminder after the cart sits idle, the pointer leaving through
// the top of the window is exit intent, scrolling is scroll depth, and caps written in one
// page hold on the next. Nothing is mocked: real localStorage, real timers, real fetch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser, openTracker } from '../support/browser-suite.mjs';
import { waitInPage } from '../support/browser.mjs';

const env = useShopAndBrowser();

const RULES = {
  format: 1,
  revision: 'browser-1',
  campaigns: [
    {
      id: 'cart-reminder', name: 'Cart reminder', placement: 'modal',
      trigger: { type: 'cartIdle', seconds: 1 },
      caps: { perSession: 1 },
      content: { title: 'Still want {{cart.items.0.name}}?', body: '{{cart.value | money}}' },
    },
    { id: 'leaving', placement: 'banner', trigger: { type: 'exitIntent' }, content: { title: 'Before you go' } },
    { id: 'deep', placement: 'inline', trigger: { type: 'scrollDepth', percent: 60 }, content: { title: 'You read a lot' } },
  ],
};

async function withPage(run) {
  const context = await env.browser.newContext({ viewport: { width: 800, height: 600 } });
  const errors = [];
  try {
    return await run(context, errors);
  } finally {
    await context.close();
    assert.deepEqual(errors, []);
  }
}

const decisionsOf = (tab) => tab.evaluate(() => window.tracker.decisions.map((d) => ({ campaign: d.campaign.id, content: d.content })));

test('the fetched ruleset shows a cart reminder after a real idle timer, and caps hold on the next page', () =>
  withPage(async (context, errors) => {
    env.server.rules.set(RULES);
    const url = `${env.server.url}/test-pages/tracker.html`;
    const tab = await openTracker(context, url, errors);
    await waitInPage(tab, async () => (await window.tracker.parcours.inspect()).rules?.revision === 'browser-1', undefined,
      { what: 'the ruleset' });
    await tab.evaluate(() => window.tracker.parcours.track('Product Added',
      { product_id: 'p1', name: 'Linen shirt', price: 49.5, quantity: 1, currency: 'EUR' }));
    await tab.waitForFunction(() => window.tracker.decisions.length > 0, null, { timeout: 5000 });
    const [reminder] = await decisionsOf(tab);
    assert.equal(reminder.campaign, 'cart-reminder');
    assert.equal(reminder.content.title, 'Still want Linen shirt?');
    assert.equal(reminder.content.body, '€49.50');
    await tab.evaluate(async () => {
      const [decision] = window.tracker.decisions;
      await window.tracker.parcours.decisions.report(decision.id, 'shown');
      await window.tracker.parcours.decisions.report(decision.id, 'dismissed');
      await window.tracker.parcours.flush();
    });
    const offers = env.server.store.all().filter((event) => event.event?.startsWith('Offer '));
    assert.deepEqual(offers.map((event) => event.event), ['Offer Shown', 'Offer Dismissed']);
    assert.equal(offers[0].properties.campaign_id, 'cart-reminder');

    // Next page, same session: the cart is still idle, but perSession 1 holds (stored caps).
    const next = await openTracker(context, url, errors);
    await next.evaluate(() => window.tracker.parcours.track('Product Viewed', { product_id: 'p2' }));
    await next.waitForTimeout(1500);
    assert.deepEqual((await decisionsOf(next)).filter((d) => d.campaign === 'cart-reminder'), []);
  }));

test('exit intent and scroll depth come from the page itself', () =>
  withPage(async (context, errors) => {
    env.server.rules.set(RULES);
    const tab = await openTracker(context, `${env.server.url}/test-pages/tracker.html`, errors);
    await waitInPage(tab, async () => (await window.tracker.parcours.inspect()).rules?.revision === 'browser-1', undefined,
      { what: 'the ruleset' });
    await tab.evaluate(() => {
      document.body.style.height = '5000px';
      window.scrollTo(0, 0);
    });
    await tab.mouse.move(400, 300);
    await tab.mouse.move(400, -5);  // Out through the top, towards the tab bar.
    await tab.evaluate(() => document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, relatedTarget: null })));
    await tab.waitForFunction(() => window.tracker.decisions.some((d) => d.campaign.id === 'leaving'), null, { timeout: 5000 });
    await tab.evaluate(() => window.scrollTo(0, 3500));
    await tab.waitForFunction(() => window.tracker.decisions.some((d) => d.campaign.id === 'deep'), null, { timeout: 5000 });
    const shown = (await decisionsOf(tab)).map((d) => d.campaign);
    assert.equal(shown.filter((id) => id === 'leaving').length, 1);  // Once per page view.
  }));

test('on a touch screen, a fast scroll back up after reading is exit intent; a slow one is not', async () => {
  env.server.rules.set(RULES);
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const errors = [];
  try {
    const tab = await openTracker(context, `${env.server.url}/test-pages/tracker.html`, errors);
    await waitInPage(tab, async () => (await window.tracker.parcours.inspect()).rules?.revision === 'browser-1', undefined,
      { what: 'the ruleset' });
    assert.equal(await tab.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
    const scrollUp = (speedPxPerFrame) => tab.evaluate(async (step) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      document.body.style.height = '6000px';
      window.scrollTo(0, 3000);
      await frame();
      await frame();
      for (let y = 3000; y > 1500; y -= step) {
        window.scrollTo(0, y);
        await frame();
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      return window.tracker.decisions.filter((d) => d.campaign.id === 'leaving').length;
    }, speedPxPerFrame);
    assert.equal(await scrollUp(10), 0, 'reading back up slowly is not leaving');
    assert.equal(await scrollUp(150), 1, 'a fling to the top is');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

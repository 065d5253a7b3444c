// The two interactive content kinds in Chromium. Email capture: the address is checked, the
// visitor must tick the consent box, only then is it recorded (`identify` with the email
// trait) and the coupon revealed. Push opt-in: the browser's permission prompt is never
// opened before the visitor says yes in the offer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';
import { focusIs, offerEventsByDecision, openOffersPage, placementRules, showOffer } from '../support/offers-page.mjs';

const env = useShopAndBrowser();
const inOffer = (page, selector) => page.locator(`parcours-offer ${selector}`);

const LEAD = {
  kind: 'emailCapture',
  title: '10% off your first order',
  body: 'Leave your email address and get a welcome code.',
  placeholder: 'you@example.com',
  consent: 'I agree to receive offers by email.',
  cta: 'Get 10% off',
  success: 'Welcome! Here is your code:',
  coupon: 'WELCOME10',
  dismiss: 'No thanks',
};

test('email capture: checked address, explicit consent, then identify with the email and the coupon revealed', async () => {
  const rules = placementRules(LEAD, ['modal']);
  env.server.rules.set(rules);
  const { context, page, errors } = await openOffersPage(env, { revision: rules.revision });
  try {
    await showOffer(page, 'modal');
    assert.equal(await focusIs(page), 'offer:input', 'focus starts in the email field');
    assert.equal(await inOffer(page, 'input[type=email]').getAttribute('placeholder'), 'you@example.com');
    assert.equal(await inOffer(page, '.code').count(), 0, 'no code before the address is given');

    await page.keyboard.type('not-an-address');
    await inOffer(page, 'button[type=submit]').click();
    assert.equal(await inOffer(page, '.error').textContent(), 'Please enter a valid email address.');
    await inOffer(page, 'input[type=email]').fill('ada@example.com');
    await inOffer(page, 'button[type=submit]').click();
    assert.equal(await inOffer(page, '.error').textContent(), 'Please tick the box to continue.');
    await inOffer(page, 'input[type=checkbox]').check();
    await inOffer(page, 'button[type=submit]').click();
    assert.equal(await inOffer(page, '.success').textContent(), 'Welcome! Here is your code:');
    assert.equal(await inOffer(page, '.code').textContent(), 'WELCOME10');
    await inOffer(page, '.close').click();
    await page.evaluate(() => window.offersPage.parcours.flush());

    const events = await waitForStored(env.server.store,
      (all) => all.some((e) => e.type === 'identify' && e.traits?.email === 'ada@example.com')
        && Object.values(offerEventsByDecision(env.server.store, 'modal')).some((seq) => seq.includes('Offer Converted')),
      { what: 'the identify and the conversion' });
    const identify = events.find((e) => e.type === 'identify' && e.traits?.email === 'ada@example.com');
    assert.equal(identify.traits.email_opt_in, true);
    assert.equal(identify.traits.email_opt_in_source, 'modal');
    assert.equal(events.filter((e) => e.type === 'identify').length, 1, 'the invalid tries recorded nothing');
    const [sequence] = Object.values(offerEventsByDecision(env.server.store, 'modal'));
    // Closed after converting: not a dismissal (no cooldown for a visitor who said yes).
    assert.deepEqual(sequence.sort(), ['Offer Clicked', 'Offer Converted', 'Offer Shown']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

const PUSH = { kind: 'pushOptIn', title: 'Get restock alerts?', body: 'We will tell you when it is back.', success: 'Done: you will hear from us.' };

/** Counts Notification.requestPermission calls (in window.asked) and answers with the real API. */
const countAsks = () => {
  window.asked = 0;
  const real = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.asked += 1;
    return real(...args);
  };
};

test('push opt-in asks the browser only after the visitor says yes in the offer', async () => {
  const rules = placementRules(PUSH, ['slide-in']);
  env.server.rules.set(rules);
  const { context, page, errors } = await openOffersPage(env, { revision: rules.revision });
  try {
    await context.grantPermissions(['notifications']);
    await page.evaluate(countAsks);
    await showOffer(page, 'slide-in');
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.asked), 0, 'showing the offer asked nothing');
    assert.equal(await inOffer(page, '.cta').textContent(), 'Yes, notify me');
    await inOffer(page, '.cta').click();
    await page.waitForFunction(() => document.querySelector('parcours-offer')?.shadowRoot.querySelector('.success'));
    assert.equal(await page.evaluate(() => window.asked), 1);
    assert.equal(await inOffer(page, '.success').textContent(), 'Done: you will hear from us.');
    await page.evaluate(() => window.offersPage.parcours.flush());
    await waitForStored(env.server.store,
      () => Object.values(offerEventsByDecision(env.server.store, 'slide-in')).some((seq) => seq.includes('Offer Converted')),
      { what: 'the push conversion' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('push opt-in: "Not now" dismisses without asking the browser', async () => {
  const rules = placementRules(PUSH, ['banner']);
  env.server.rules.set(rules);
  const { context, page, errors } = await openOffersPage(env, { revision: rules.revision });
  try {
    await page.evaluate(countAsks);
    await showOffer(page, 'banner');
    await inOffer(page, '.secondary').click();
    assert.equal(await page.evaluate(() => document.querySelectorAll('parcours-offer').length), 0);
    assert.equal(await page.evaluate(() => window.asked), 0);
    await page.evaluate(() => window.offersPage.parcours.flush());
    await waitForStored(env.server.store,
      () => Object.values(offerEventsByDecision(env.server.store, 'banner')).some((seq) => seq.includes('Offer Dismissed')),
      { what: 'the dismissal' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

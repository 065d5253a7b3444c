// Cross-channel continuity in Chromium: a visitor abandons a cart on the web; the collector's
// audience lists them with the "email" link an email tool would send; opening that link (on
// another device: a fresh browser) is the same customer, and the visit's campaign is the
// email's. The short form `/?pc_uid=…` lands the same way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';
import { anonymousIdOf, newVisitor, waitForShop } from '../support/journeys.mjs';

const env = useShopAndBrowser();
const BASIC = { Authorization: `Basic ${Buffer.from('demo-key:').toString('base64')}` };

async function abandoners() {
  const response = await fetch(`${env.server.url}/v1/audiences/cart-abandoners?inactiveMinutes=0`, { headers: BASIC });
  assert.equal(response.status, 200);
  return (await response.json()).customers;
}

/** Opens `url` as a fresh device, tracks one event there and returns what the collector stored from it. */
async function visitFromEmail(url) {
  const visitor = await newVisitor(env, url.replace(env.server.url, ''));
  try {
    await visitor.page.evaluate(async () => {
      await window.shop.parcours.track('Email Link Opened');
      await window.shop.parcours.flush();
    });
    assert.equal(new URL(visitor.page.url()).searchParams.has('pc_uid') || new URL(visitor.page.url()).searchParams.has('pc_aid'),
      false, 'the id left the address bar');
    assert.deepEqual(visitor.errors, []);
    const anonymousId = await anonymousIdOf(visitor.page);
    const events = await waitForStored(env.server.store,
      (all) => all.some((e) => e.event === 'Email Link Opened' && e.anonymousId === anonymousId), { what: 'the email visit' });
    return events.find((e) => e.event === 'Email Link Opened' && e.anonymousId === anonymousId);
  } finally {
    await visitor.context.close();
  }
}

test('an anonymous cart abandoner\'s email link opens the shop as the same customer, attributed to email', async () => {
  env.server.rules.set({ format: 1, revision: 'none', campaigns: [] });
  const web = await newVisitor(env, '/shop/category.html?c=kitchen');
  let anonymousId;
  try {
    await web.page.getByRole('button', { name: 'Add Stoneware Breakfast Mug to cart' }).click();
    anonymousId = await anonymousIdOf(web.page);
    await web.page.evaluate(() => window.shop.parcours.flush());
    await waitForStored(env.server.store, (all) => all.some((e) => e.anonymousId === anonymousId && e.event === 'Product Added'));
  } finally {
    await web.context.close();
  }
  const abandoner = (await abandoners()).find((customer) => customer.anonymousIds.includes(anonymousId));
  assert.ok(abandoner, 'the audience lists the abandoner');
  assert.match(abandoner.emailLink, /utm_source=email/);
  const opened = await visitFromEmail(abandoner.emailLink);
  assert.equal(opened.anonymousId, anonymousId, 'same customer id before and after');
  assert.equal(opened.context.session.campaign.source, 'email');
  assert.equal(opened.context.session.campaign.name, 'cart_reminder');
});

test('the short link /?pc_uid=… keeps a signed-in customer\'s id and the email campaign', async () => {
  env.server.rules.set({ format: 1, revision: 'none', campaigns: [] });
  const web = await newVisitor(env, '/shop/login.html');
  try {
    await web.page.locator('button[data-user-id="cust-lea"]').click();
    await web.page.waitForURL(/\/shop\/(index\.html)?(\?|#|$)/);
    await waitForShop(web.page);
    assert.equal((await web.page.evaluate(() => window.shop.parcours.inspect())).userId, 'cust-lea');
  } finally {
    await web.context.close();
  }
  const opened = await visitFromEmail(`${env.server.url}/?pc_uid=cust-lea&utm_source=email&utm_medium=email&utm_campaign=cart_reminder`);
  assert.equal(opened.userId, 'cust-lea', 'same customer id before and after');
  assert.deepEqual(opened.context.session.campaign, { medium: 'email', name: 'cart_reminder', source: 'email' });
  assert.equal(opened.context.page.path, '/shop/');
});

// One customer's journey in the demo shop: lands from a newsletter (UTM), browses to a second
// product, logs in (identify), reloads. Every event keeps the anonymous id, events after the
// login carry the user id, and page two knows where it came from: the first page as referrer,
// the landing campaign in its session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { newPage, waitFor } from '../support/browser.mjs';
import { CATALOG } from '../support/shop-server.mjs';

const env = useShopAndBrowser();

async function shopReady(page) {
  await page.waitForFunction(() => window.shop?.parcours !== undefined);
  await page.evaluate(() => window.shop.parcours.ready);
}

test('anonymous browsing, login and reload: one anonymous id, then the user id, with referrer and campaign', async () => {
  const [first, second] = CATALOG.products;
  const { context, page, errors } = await newPage(env.browser);
  try {
    const landing = `${env.server.url}/shop/product.html?id=${first.id}&flush=100` +
      '&utm_source=newsletter&utm_medium=email&utm_campaign=spring';
    await page.goto(landing);
    await shopReady(page);
    await page.getByRole('link', { name: second.name }).click();
    await page.waitForURL(/id=/);
    await shopReady(page);
    const pageTwo = page.url();
    assert.ok(!pageTwo.includes('utm_'), 'page two has no campaign parameters of its own');
    const login = await page.evaluate(() => window.shop.parcours.identify('u-42', { email: 'ana@shop.test' }));
    assert.equal(login.ok, true);
    await page.reload();
    await shopReady(page);
    await page.evaluate(() => window.shop.parcours.flush());
    await waitFor(() => env.server.store.count() >= 7, { what: 'the journey at the collector' });

    const events = env.server.store.all().sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const anonymousIds = new Set(events.map((e) => e.anonymousId));
    assert.equal(anonymousIds.size, 1, 'one anonymous id across pages, login and reload');
    const loginAt = events.findIndex((e) => e.type === 'identify');
    assert.ok(loginAt > 0);
    assert.equal(events[loginAt].userId, 'u-42');
    assert.equal(events[loginAt].traits.email, 'ana@shop.test');
    assert.ok(events.slice(0, loginAt).every((e) => e.userId === undefined), 'no user id before login');
    assert.ok(events.slice(loginAt).every((e) => e.userId === 'u-42'), 'the user id on every event after login');
    assert.ok(events.slice(loginAt + 1).some((e) => e.type === 'page'), 'the reload was tracked');

    const pages = events.filter((e) => e.type === 'page');
    const secondPage = pages.find((e) => e.context.page.url === pageTwo);
    assert.ok(secondPage, 'page two was tracked');
    assert.equal(secondPage.context.page.referrer, landing);
    assert.equal(secondPage.properties.referrer, landing);
    assert.equal(secondPage.context.campaign, undefined);
    assert.deepEqual(secondPage.context.session.campaign, { source: 'newsletter', medium: 'email', name: 'spring' });
    assert.equal(secondPage.context.session.id, pages[0].context.session.id, 'the same session');
    assert.equal(pages[0].context.campaign.name, 'spring');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an email link hands over the customer id; the id parameters leave the address bar, invalid ones too', async () => {
  const { context, page, errors } = await newPage(env.browser);
  try {
    await page.goto(`${env.server.url}/shop/product.html?pc_uid=crm-1234&utm_source=email&flush=100`);
    await shopReady(page);
    assert.ok(!page.url().includes('pc_uid'), 'pc_uid removed from the address bar');
    assert.ok(page.url().includes('utm_source=email'), 'other parameters kept');
    await page.evaluate(() => window.shop.parcours.flush());
    await waitFor(() => env.server.store.all().some((e) => e.userId === 'crm-1234'), { what: 'events as crm-1234' });
    assert.ok(env.server.store.all().filter((e) => e.userId === 'crm-1234')
      .every((e) => !e.context.page.url.includes('pc_uid')));

    const second = await context.newPage();
    await second.goto(`${env.server.url}/shop/product.html?pc_uid=has%20a%20space&flush=100`);
    await shopReady(second);
    assert.ok(!second.url().includes('pc_uid'), 'an invalid id is removed too');
    const state = await second.evaluate(() => window.shop.parcours.inspect());
    assert.equal(state.userId, 'crm-1234', 'an invalid id is not used (the stored one stays)');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

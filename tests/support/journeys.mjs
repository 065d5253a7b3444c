// Helpers of the demo-journey tests: the demo ruleset (demo/rules/shop.json) with the cart
// reminder's idle delay shortened so a test does not wait 20 s, a fresh visitor per journey
// (its own browser context: governance allows 2 offers per session), and the offer on screen.
import fs from 'node:fs';
import { newPage, waitInPage } from './browser.mjs';

/** demo/rules/shop.json, with `cartIdle` triggers shortened to `idleSeconds`. */
export function demoRules({ idleSeconds = 2 } = {}) {
  const rules = JSON.parse(fs.readFileSync(new URL('../../demo/rules/shop.json', import.meta.url), 'utf8'));
  for (const campaign of rules.campaigns) {
    if (campaign.trigger.type === 'cartIdle') campaign.trigger.seconds = idleSeconds;
  }
  return rules;
}

/** A new visitor on the shop: opens `path` in a fresh context and waits for the SDK and its ruleset. */
export async function newVisitor(env, path, contextOptions = {}) {
  const opened = await newPage(env.browser, { viewport: { width: 1280, height: 800 }, ...contextOptions });
  await opened.page.goto(`${env.server.url}${path}`);
  await waitForShop(opened.page);
  return opened;
}

/** Waits until the page's SDK is ready and decides with a ruleset (any: some tests publish an empty one). */
export async function waitForShop(page) {
  await page.waitForFunction(() => window.shop?.parcours?.ready !== undefined, null, { timeout: 10_000 });
  await page.evaluate(() => window.shop.parcours.ready);
  await waitInPage(page, async () => (await window.shop.parcours.inspect())?.rules != null, undefined, { what: 'a ruleset' });
}

/** Waits for an offer at `placement` (e.g. `modal`, `inline:cross-sell`) and returns its text. */
export async function offerText(page, placement, timeout = 10_000) {
  const selector = `parcours-offer[data-parcours-placement="${placement}"]`;
  await page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('.card') != null, selector, { timeout });
  return page.evaluate((s) => document.querySelector(s).shadowRoot.querySelector('.card').innerText, selector);
}

/** The anonymous id of the page's visitor. */
export const anonymousIdOf = (page) => page.evaluate(() => window.shop.parcours.anonymousId());

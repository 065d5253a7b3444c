// One collector (serving the shop) and one Chromium per browser test file, started before its
// tests and stopped after them: `const env = useShopAndBrowser();` then env.server, env.browser.
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { startShopServer } from './shop-server.mjs';

export function useShopAndBrowser() {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startShopServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Opens the test tracker page (tests/browser/pages/tracker.html) in a new tab of `context`,
 * waits until its client is ready, and collects the tab's page errors into `errors`.
 */
export async function openTracker(context, url, errors) {
  const tab = await context.newPage();
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(url);
  await tab.waitForFunction(() => window.tracker !== undefined);
  await tab.evaluate(() => window.tracker.parcours.ready);
  return tab;
}

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

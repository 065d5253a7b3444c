// Browser-test helpers: launch the system (Debian) Chromium through playwright-core and open
// pages whose console errors and uncaught exceptions are collected for the test to assert on.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PARCOURS_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium with a fresh, throw-away profile (playwright manages it).
 * Never downloads a browser: a missing binary is reported with the apt command to install it.
 */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium `
      + '(or set PARCOURS_CHROMIUM to another Chromium binary). Do not run "npx playwright install".',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens a page in its own context (own localStorage) and records problems the page reports:
 * `errors` collects console.error messages and uncaught exceptions as strings; `messages` keeps
 * every console line, handy when a test fails.
 */
export async function newPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const errors = [];
  const messages = [];
  page.on('console', (msg) => {
    const text = `${msg.type()}: ${msg.text()}`;
    messages.push(text);
    if (msg.type() === 'error') {
      const where = msg.location()?.url ? ` (${msg.location().url})` : '';
      errors.push(`console.error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.stack || err.message}`));
  return { context, page, errors, messages };
}

/** Polls `check` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor(check, { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate(arg)` in the page until it resolves truthy. For async predicates:
 * playwright's waitForFunction takes the promise itself as truthy and returns at once.
 */
export function waitInPage(page, predicate, arg, { timeoutMs = 10_000, what = 'a condition in the page' } = {}) {
  return waitFor(() => page.evaluate(predicate, arg), { timeoutMs, intervalMs: 50, what });
}

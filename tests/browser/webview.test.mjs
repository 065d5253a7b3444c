// The webview bridge in Chromium, once per native host (iOS WKWebView, Android WebView, React
// Native WebView), each emulated by injecting its handler object into a phone-sized touch
// page. The messages sent and the shapes expected are the examples of docs/WEBVIEW.md.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { newPage } from '../support/browser.mjs';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { waitForStored } from '../support/shop-server.mjs';

const env = useShopAndBrowser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** The JSON blocks of docs/WEBVIEW.md marked `<!-- example: name -->`, by name. */
const EXAMPLES = (() => {
  const doc = fs.readFileSync(new URL('../../docs/WEBVIEW.md', import.meta.url), 'utf8');
  const examples = {};
  for (const [, name, json] of doc.matchAll(/<!-- example: ([a-z ]+) -->\n```json\n([\s\S]*?)```/g)) {
    examples[name] = JSON.parse(json.replaceAll('"…"', '"x"'));
  }
  return examples;
})();

/** Installs the host's handler (collecting messages in window.__native) and the app's handover. */
function installHost({ host, preload }) {
  window.__native = [];
  const handler = { postMessage: (message) => window.__native.push(message) };
  if (host === 'ios-webview') window.webkit = { messageHandlers: { parcours: handler } };
  if (host === 'android-webview') window.ParcoursAndroid = handler;
  if (host === 'react-native-webview') window.ReactNativeWebView = handler;
  if (preload) window.parcoursNative = preload;
}

async function openInApp(host, preload) {
  const opened = await newPage(env.browser, PHONE);
  const warnings = [];
  opened.page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await opened.context.addInitScript(installHost, { host, preload });
  await opened.page.goto(`${env.server.url}/test-pages/webview.html`);
  await opened.page.waitForFunction(() => window.webviewPage !== undefined);
  await opened.page.evaluate(() => window.webviewPage.parcours.ready);
  return { ...opened, warnings };
}

const nativeMessages = (page) => page.evaluate(() => window.__native.map((text) => JSON.parse(text)));
const receive = (page, message) => page.evaluate((m) => window.parcoursNative.receive(typeof m === 'string' ? m : JSON.stringify(m)), message);
const sameKeys = (actual, example) => assert.deepEqual(Object.keys(actual).sort(), Object.keys(example).sort());

for (const host of ['ios-webview', 'android-webview', 'react-native-webview']) {
  test(`${host}: identity handed over before and after load is on every event, with the channel`, async () => {
    const preload = { ...EXAMPLES.preload, identity: { ...EXAMPLES.preload.identity, anonymousId: `anon-${host}` } };
    const { context, page, errors } = await openInApp(host, preload);
    try {
      const [ready] = await nativeMessages(page);
      sameKeys(ready, EXAMPLES['web ready']);
      assert.deepEqual([ready.type, ready.anonymousId, ready.userId, ready.channel], ['ready', `anon-${host}`, 'app-user-7', host]);
      await page.evaluate(() => window.webviewPage.parcours.track('Before Handover'));
      await receive(page, EXAMPLES['native identity']);
      await page.evaluate(async () => {
        await window.webviewPage.parcours.track('After Handover');
        await window.webviewPage.parcours.flush();
      });
      const events = (await waitForStored(env.server.store,
        (all) => all.some((e) => e.event === 'After Handover' && e.anonymousId === `anon-${host}`), { what: 'the events' }))
        .filter((e) => e.anonymousId === `anon-${host}`);
      assert.deepEqual(events.map((e) => e.type === 'page' ? 'page' : e.event), ['page', 'Before Handover', 'After Handover']);
      assert.deepEqual(events.map((e) => e.userId), ['app-user-7', 'app-user-7', 'app-user-8']);
      assert.ok(events.every((e) => e.context.channel === host));
      assert.equal(events[0].context.consent.categoryPreferences.marketing, true);
      const state = await page.evaluate(() => window.webviewPage.parcours.inspect());
      // Another user id: the previous user's traits (email, gold) are not this one's.
      assert.deepEqual(state.traits, { plan: 'platinum' });
      const sent = (await nativeMessages(page)).filter((m) => m.type === 'sent');
      assert.ok(sent.length >= 1);
      sameKeys(sent[0], EXAMPLES['web sent']);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test(`${host}: forward mode hands every event to the app and nothing to the network`, async () => {
    const anonymousId = `forward-${host}`;
    const preload = { v: 1, identity: { anonymousId }, mode: 'forward' };
    const { context, page, errors } = await openInApp(host, preload);
    let posts = 0;
    await page.route('**/v1/batch', (route) => {
      posts += 1;
      return route.continue();
    });
    try {
      const ids = await page.evaluate(async () => {
        const results = [];
        for (let i = 0; i < 5; i += 1) results.push(await window.webviewPage.parcours.track('In App', { i }));
        await window.webviewPage.parcours.identify('u-42');
        const flushed = await window.webviewPage.parcours.flush();
        return { ids: results.map((r) => r.messageId), flushed };
      });
      assert.deepEqual(ids.flushed, { delivered: true, pending: 0, dropped: 0 });
      const messages = await nativeMessages(page);
      const batches = messages.filter((m) => m.type === 'batch');
      sameKeys(batches[0], EXAMPLES['web batch']);
      const forwarded = batches.flatMap((m) => m.batch.batch);
      for (const id of ids.ids) assert.equal(forwarded.filter((e) => e.messageId === id).length, 1, `event ${id} forwarded once`);
      assert.ok(forwarded.some((e) => e.type === 'page'), 'the page view too');
      assert.ok(forwarded.every((e) => e.context.channel === host && e.anonymousId === anonymousId));
      const identity = messages.find((m) => m.type === 'identity');
      sameKeys(identity, EXAMPLES['web identity']);
      assert.equal(identity.userId, 'u-42');
      assert.equal(posts, 0, 'no request to the collector');
      assert.equal(env.server.store.all().filter((e) => e.anonymousId === anonymousId).length, 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test(`${host}: in native decisions mode a decision reaches the app, and its report is tracked`, async () => {
    const preload = { v: 1, identity: { anonymousId: `decide-${host}` }, decisions: 'native', mode: 'forward' };
    const { context, page, errors } = await openInApp(host, preload);
    try {
      await receive(page, EXAMPLES['native rules']);
      await page.evaluate(() => window.webviewPage.parcours.track('Product Viewed', { product_id: 'tote', name: 'Linen Tote', stock: 0 }));
      await page.waitForFunction(() => window.__native.some((m) => JSON.parse(m).type === 'decision'));
      const decision = (await nativeMessages(page)).find((m) => m.type === 'decision');
      sameKeys(decision, EXAMPLES['web decision']);
      sameKeys(decision.decision, EXAMPLES['web decision'].decision);
      assert.equal(decision.decision.content.title, 'Tell me when Linen Tote is back');
      assert.equal(await page.evaluate(() => document.querySelectorAll('parcours-offer').length), 0, 'the page drew nothing');
      await receive(page, { ...EXAMPLES['native offer'], decisionId: decision.decision.id });
      await page.evaluate(() => window.webviewPage.parcours.flush());
      const forwarded = (await nativeMessages(page)).filter((m) => m.type === 'batch').flatMap((m) => m.batch.batch);
      const shown = forwarded.filter((e) => e.event === 'Offer Shown');
      assert.equal(shown.length, 1);
      assert.equal(shown[0].properties.decision_id, decision.decision.id);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test(`${host}: malformed messages from the app are ignored with a warning and the page keeps working`, async () => {
    const { context, page, errors, warnings } = await openInApp(host, { v: 1, identity: { userId: 'app-user-7' }, mode: 'forward' });
    try {
      await receive(page, 'not json {');
      await receive(page, { ...EXAMPLES['native identity'], v: 2 });
      await receive(page, { v: 1, type: 'identity', userId: 42 });
      await receive(page, { v: 1, type: 'consent', categories: { analytics: 'yes' } });
      await receive(page, { v: 1, type: 'teleport' });
      await receive(page, 17);
      await page.waitForTimeout(100);
      assert.equal(warnings.filter((w) => w.includes('webview: ignored a message')).length, 6, warnings.join('\n'));
      const result = await page.evaluate(async () => {
        const tracked = await window.webviewPage.parcours.track('Still Working');
        await window.webviewPage.parcours.flush();
        return { tracked, state: await window.webviewPage.parcours.inspect() };
      });
      assert.equal(result.tracked.ok, true);
      assert.equal(result.state.userId, 'app-user-7');
      assert.equal(result.state.consent.analytics, true);
      const forwarded = (await nativeMessages(page)).filter((m) => m.type === 'batch').flatMap((m) => m.batch.batch);
      assert.ok(forwarded.some((e) => e.event === 'Still Working' && e.userId === 'app-user-7'));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('a malformed pre-load handover is ignored part by part, with warnings, and the rest applies', async () => {
  const { context, page, errors, warnings } = await openInApp('ios-webview',
    { v: 1, identity: { userId: 7 }, consent: { analytics: true, marketing: 'maybe' }, mode: 'sideways', decisions: 'native' });
  try {
    const [ready] = await nativeMessages(page);
    assert.equal(ready.userId, null);
    assert.equal(ready.mode, 'direct');
    assert.equal(ready.decisions, 'native');
    assert.equal(warnings.filter((w) => w.includes('ignored part of window.parcoursNative')).length, 3, warnings.join('\n'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Nothing lost under chaos: two tabs of one site share the stored queue, 1,000 events in all,
// the collector fails 30% of requests at random and goes offline for 5 s, and each tab is
// reloaded twice mid-stream. After recovery every messageId must be at the collector; the
// duplicates it received (and deduped) are reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { sleep } from '../support/browser.mjs';

const env = useShopAndBrowser();
const TOTAL = 1000;
// [tab, events]: each tab tracks three runs and is reloaded right after its first two.
const RUNS = [[0, 167], [1, 167], [0, 167], [1, 167], [0, 166], [1, 166]];

/** Waits (up to 90 s) for every id at the collector; returns those still missing. */
async function waitForAll(ids) {
  let missing = ids;
  for (let waited = 0; waited < 90_000 && missing.length > 0; waited += 250) {
    const stored = new Set(env.server.store.all().map((event) => event.messageId));
    missing = ids.filter((id) => !stored.has(id));
    if (missing.length > 0) await sleep(250);
  }
  return missing;
}

test('2 tabs, 1,000 events, 30% failures, 5 s offline, 2 reloads per tab: all delivered', async () => {
  const context = await env.browser.newContext();  // One profile: the tabs share localStorage.
  const errors = [];
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) tab.on('pageerror', (error) => errors.push(error.message));
  // Retries are fast (0.2–2 s) to keep the test short, so the attempt cap is raised to match
  // what the default backoff allows in the same outage: the test is about losing nothing.
  const url = `${env.server.url}/test-pages/tracker.html?flush=200&retryBase=200&retryMax=2000&attempts=100`;
  const open = async (tab, load) => {
    await load(tab);
    await tab.waitForFunction(() => window.tracker !== undefined);
    await tab.evaluate(() => window.tracker.parcours.ready);
  };
  try {
    for (const tab of tabs) await open(tab, (t) => t.goto(url));
    env.server.chaos.set({ failRate: 0.3 });
    const tracked = [];
    let reloads = 0;
    for (const [index, [tabIndex, count]] of RUNS.entries()) {
      if (index === 2) env.server.chaos.set({ offlineForMs: 5000 });
      const tab = tabs[tabIndex];
      tracked.push(...(await tab.evaluate(([n, tag]) => window.tracker.trackMany(n, tag), [count, `run-${index}`])));
      if (index < 4) {
        await open(tab, (t) => t.reload());  // Mid-stream: its events are queued or in flight.
        reloads += 1;
      }
    }
    assert.equal(tracked.length, TOTAL);
    assert.equal(new Set(tracked).size, TOTAL);
    assert.equal(reloads, 4);

    const missing = await waitForAll(tracked);
    if (missing.length > 0) {
      // Say where the lost events are, so a failure (in CI too) can be understood.
      for (const [index, tab] of tabs.entries()) {
        const state = await tab.evaluate(async (ids) => {
          const keys = Object.keys(localStorage).filter((key) => key.includes(':q:'));
          const held = keys.filter((key) => ids.includes(key.split(':q:')[1])).length;
          const locks = await navigator.locks.query();
          return { stored: keys.length, missingStillStored: held, stats: await window.tracker.parcours.stats(),
            locks: locks.held.length, waiting: locks.pending.length };
        }, missing.slice(0, 200));
        console.log(`tab ${index}: ${JSON.stringify(state)}`);
      }
    }
    assert.deepEqual(missing.length, 0, `${missing.length} messageIds never reached the collector`);

    const events = env.server.store.all().filter((event) => event.event === 'Chaos Event');
    assert.equal(events.length, TOTAL);
    const chaos = env.server.chaos.stats;
    console.log(
      `multi-tab chaos: ${TOTAL} distinct events stored; duplicates received and deduped: ` +
        `${env.server.store.stats.duplicates}; batch requests ${chaos.requests}, failed ${chaos.failed}, ` +
        `refused while offline ${chaos.offlineRefused}`,
    );
    assert.ok(chaos.failed > 0 && chaos.offlineRefused > 0, 'the chaos really happened');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

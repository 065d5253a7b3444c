// What on-device decisions cost: µs per Product Added with 0, 10, 100 and 1,000 active
// campaigns (spread over triggers as a shop has them, and all on Product Added as the worst
// case), the time to load and compile a 1,000-campaign ruleset, and WASM memory after it.
// The same workload runs in Node and in headless Chromium (bench/pages/decision-workload.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STATIC_ROOTS, startCollector } from '../demo/collector/server.mjs';
import { launchBrowser } from '../tests/support/browser.mjs';
import { makeRuleset, measureDecisions } from './pages/decision-workload.mjs';

export const CAMPAIGN_COUNTS = [0, 10, 100, 1000];
// Run once and discarded before the table: the first rows would otherwise pay V8's tier-up
// of the WASM code and read slower than tracking with campaigns (the first row is the
// baseline that deciding's cost is read against).
const WARM_UP = { count: 100, sameTrigger: true };

export async function measureDecisionCostNode(sdk, wasmBinary) {
  await measureDecisions(() => sdk.loadCore({ wasmBinary }), makeRuleset(WARM_UP.count, WARM_UP));
  const rows = [];
  for (const count of CAMPAIGN_COUNTS) {
    for (const sameTrigger of count === 0 ? [false] : [false, true]) {
      const result = await measureDecisions(() => sdk.loadCore({ wasmBinary }), makeRuleset(count, { sameTrigger }),
                                            { events: count >= 1000 ? 1000 : 2000 });
      rows.push({ ...result, sameTrigger });
    }
  }
  return rows;
}

export async function measureDecisionCostBrowser() {
  const dataDir = mkdtempSync(join(tmpdir(), 'parcours-bench-'));
  const staticRoots = { ...DEFAULT_STATIC_ROOTS, '/bench-pages/': fileURLToPath(new URL('./pages', import.meta.url)) };
  const collector = await startCollector({ dataDir, writeKeys: ['demo-key'], quiet: true, staticRoots });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${collector.url}/bench-pages/decisions.html`);
    await page.waitForFunction(() => window.benchDecisions !== undefined);
    await page.evaluate(([n, same]) => window.benchDecisions(n, { sameTrigger: same }), [WARM_UP.count, WARM_UP.sameTrigger]);
    const rows = [];
    for (const count of CAMPAIGN_COUNTS) {
      for (const sameTrigger of count === 0 ? [false] : [false, true]) {
        rows.push({ ...(await page.evaluate(([n, same]) => window.benchDecisions(n, { sameTrigger: same }), [count, sameTrigger])),
                    sameTrigger });
      }
    }
    return rows;
  } finally {
    await browser.close();
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { readFileSync } = await import('node:fs');
  const sdk = await import('../dist/parcours.mjs');
  const wasmBinary = readFileSync(new URL('../dist/parcours.wasm', import.meta.url));
  console.table(await measureDecisionCostNode(sdk, wasmBinary));
  console.table(await measureDecisionCostBrowser());
}

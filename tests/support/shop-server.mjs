// Browser-test helpers around the demo collector: a collector on a random 127.0.0.1 port with
// its own temp data dir (it also serves /shop and /dist), and bounded polling of its store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_STATIC_ROOTS, startCollector } from '../../demo/collector/server.mjs';
import { waitFor } from './browser.mjs';

export const CATALOG = JSON.parse(
  fs.readFileSync(new URL('../../demo/shop/catalog.json', import.meta.url), 'utf8'),
);

/** Starts a quiet collector with a fresh data dir; `close()` stops it and removes the dir. */
export async function startShopServer({ writeKeys = ['demo-key'] } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parcours-browser-'));
  let collector;
  try {
    // Besides the shop and dist/, test-only pages such as the chaos tracker.
    const staticRoots = { ...DEFAULT_STATIC_ROOTS, '/test-pages/': fileURLToPath(new URL('../browser/pages', import.meta.url)) };
    collector = await startCollector({ port: 0, host: '127.0.0.1', dataDir, writeKeys, quiet: true, staticRoots });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: collector.url,
    store: collector.store,
    chaos: collector.chaos,
    rules: collector.rules,
    dataDir,
    async close() {
      try {
        await collector.close();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Stored events with this `event` name (track calls). */
export function eventsNamed(store, name) {
  return store.all().filter((e) => e.event === name);
}

/** Polls the store (every 100 ms, up to `timeoutMs`) until `predicate(events)` holds; returns the events. */
export function waitForStored(store, predicate, { timeoutMs = 10_000, what = 'events in the collector' } = {}) {
  return waitFor(() => {
    const events = store.all();
    return predicate(events) ? events : null;
  }, { timeoutMs, intervalMs: 100, what });
}

// Shared set-up for the SDK's node tests: a real collector on loopback in a temp folder,
// and a logger that records what the SDK reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../demo/collector/server.mjs';

export const WRITE_KEY = 'wk_node_test';

export async function withCollector(run) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parcours-sdk-'));
  const collector = await startCollector({ dataDir, writeKeys: [WRITE_KEY], quiet: true });
  try {
    return await run(collector);
  } finally {
    await collector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function recordingLogger() {
  const lines = { debug: [], warn: [], error: [] };
  return {
    lines,
    debug: (...args) => lines.debug.push(args.join(' ')),
    warn: (...args) => lines.warn.push(args.join(' ')),
    error: (...args) => lines.error.push(args.join(' ')),
  };
}

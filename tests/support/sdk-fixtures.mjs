// Shared set-up for the SDK's node tests: a real collector on loopback in a temp folder,
// and a logger that records what the SDK reports.
import { startShopServer } from './shop-server.mjs';

export const WRITE_KEY = 'wk_node_test';

export async function withCollector(run) {
  const collector = await startShopServer({ writeKeys: [WRITE_KEY] });
  try {
    return await run(collector);
  } finally {
    await collector.close();
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

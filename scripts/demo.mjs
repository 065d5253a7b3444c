// `npm run demo`: installs what is missing, builds dist/, starts the demo collector (which
// also serves the shop) on 127.0.0.1 and prints the URL. Ctrl-C stops it.
import { join } from 'node:path';
import { startCollector } from '../demo/collector/server.mjs';
import { buildAll } from './build.mjs';
import { ROOT } from './paths.mjs';
import { ensurePrerequisites } from './setup.mjs';

const portArg = process.argv.indexOf('--port');
const port = Number(portArg > 0 ? process.argv[portArg + 1] : process.env.PARCOURS_DEMO_PORT ?? 8080);

ensurePrerequisites('demo');
await buildAll();

let collector;
try {
  collector = await startCollector({ port, dataDir: join(ROOT, '.collector-data'), writeKeys: ['demo-key'], quiet: true });
} catch (error) {
  if (error.code === 'EADDRINUSE') {
    console.error(`parcours: port ${port} is taken; run 'npm run demo -- --port 8181' (or set PARCOURS_DEMO_PORT).`);
    process.exit(1);
  }
  throw error;
}
console.log(`
parcours demo is running
  shop:       ${collector.url}/shop/product.html
  collector:  POST ${collector.url}/v1/batch (write key "demo-key")
  events:     ${collector.url}/v1/events  (Basic auth, user "demo-key")
  event log:  ${join(ROOT, '.collector-data', 'events.jsonl')}
Press Ctrl-C to stop.`);

const stop = async () => {
  await collector.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

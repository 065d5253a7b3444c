// `npm run demo`: installs what is missing, builds dist/, starts the demo collector (which
// also serves the shop and publishes demo/rules/shop.json at /v1/decisions) on 127.0.0.1 and
// prints the URL. Editing shop.json while it runs publishes the new ruleset. Ctrl-C stops it.
import fs from 'node:fs';
import { join } from 'node:path';
import { startCollector } from '../demo/collector/server.mjs';
import { buildAll } from './build.mjs';
import { ROOT } from './paths.mjs';
import { ensurePrerequisites } from './setup.mjs';

const portArg = process.argv.indexOf('--port');
const port = Number(portArg > 0 ? process.argv[portArg + 1] : process.env.PARCOURS_DEMO_PORT ?? 8080);
const RULES_FILE = join(ROOT, 'demo', 'rules', 'shop.json');

/** The ruleset as text, read again at each start (the SDK checks it; a broken file is served as is). */
const readRules = () => fs.readFileSync(RULES_FILE, 'utf8');

ensurePrerequisites('demo');
await buildAll();

let collector;
try {
  collector = await startCollector({
    port, dataDir: join(ROOT, '.collector-data'), writeKeys: ['demo-key'], quiet: true, rules: readRules(),
  });
} catch (error) {
  if (error.code === 'EADDRINUSE') {
    console.error(`parcours: port ${port} is taken; run 'npm run demo -- --port 8181' (or set PARCOURS_DEMO_PORT).`);
    process.exit(1);
  }
  throw error;
}

// Publish edits: browsers revalidate /v1/decisions at each new session and every 5 minutes.
fs.watchFile(RULES_FILE, { interval: 1000 }, () => {
  try {
    const text = readRules();
    JSON.parse(text);
    collector.rules.set(text);
    console.log(`parcours demo: published the edited ${RULES_FILE}`);
  } catch (error) {
    console.error(`parcours demo: ${RULES_FILE} is not valid JSON (${error.message}); still serving the previous ruleset.`);
  }
});

// One URL: the shop. Its footer links the demo tour and the collector's dashboard (/dashboard).
console.log(`parcours demo: ${collector.url}/shop/`);
console.log("(Ctrl-C stops it; the shop's footer links the demo tour and the dashboard.)");

const stop = async () => {
  fs.unwatchFile(RULES_FILE);
  await collector.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Entry point of the demo collector: HTTP routing, startCollector() for tests, and the CLI.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  HttpError, applyCors, sendPreflight, sendError, discardRestOfRequest,
} from './http-utils.mjs';
import {
  handleBatch, handleEvents, handleHealth, handleChaos, createKeyChecker,
} from './api-routes.mjs';
import { normaliseStaticRoots, serveStatic } from './static-files.mjs';
import { openEventStore } from './event-store.mjs';
import { createChaos, ChaosConfigError } from './chaos.mjs';
import { createRulesHolder } from './decisions-route.mjs';
import { matchReadRoute, requireReadKey } from './read-routes.mjs';
import { createEventStream } from './event-stream.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_STATIC_ROOTS = Object.freeze({
  '/shop/': path.resolve(HERE, '../shop'),
  '/dist/': path.resolve(HERE, '../../dist'),
  '/dashboard/': path.resolve(HERE, '../dashboard'),
});
export const LISTENING_PREFIX = 'parcours collector listening on ';

const noop = () => {};

function methodNotAllowed(allow) {
  return new HttpError(405, 'method_not_allowed', `Use ${allow.join(' or ')} for this path.`, {
    headers: { Allow: [...allow, 'OPTIONS'].join(', ') },
  });
}

function requireMethod(req, allow) {
  if (!allow.includes(req.method)) throw methodNotAllowed(allow);
}

async function route(req, res, ctx) {
  applyCors(req, res);
  if (req.method === 'OPTIONS') {
    sendPreflight(req, res);
    return;
  }
  if (!req.url.startsWith('/')) throw new HttpError(400, 'bad_request', 'Request target must be a path starting with "/".');

  // Keep the raw path: WHATWG URL parsing would silently collapse "..", hiding traversal attempts.
  const queryAt = req.url.indexOf('?');
  const rawPath = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : req.url.slice(queryAt + 1));

  switch (rawPath) {
    case '/v1/batch': {
      requireMethod(req, ['POST']);
      // Chaos applies here and only here (never to static files, /health or /v1/chaos).
      const decision = await ctx.chaos.beforeBatch(req, res);
      if (decision.handled) return undefined;
      return handleBatch(req, res, ctx, decision);
    }
    case '/v1/chaos':
      requireMethod(req, ['GET', 'POST']);
      return handleChaos(req, res, ctx);
    case '/v1/events':
      requireMethod(req, ['GET']);
      return handleEvents(req, res, ctx, query);
    case '/v1/decisions':
      requireMethod(req, ['GET', 'HEAD']);
      return ctx.rules.serve(req, res);
    case '/health':
      requireMethod(req, ['GET', 'HEAD']);
      return handleHealth(req, res, ctx);
    case '/':
      requireMethod(req, ['GET', 'HEAD']);
      // The shop's home, query kept: an email link `/?pc_uid=…&utm_source=email` must land whole.
      res.writeHead(302, { Location: `/shop/${queryAt === -1 ? '' : req.url.slice(queryAt)}`, 'Content-Length': 0 });
      res.end();
      return undefined;
    default:
      break;
  }

  const read = matchReadRoute(rawPath);
  if (read) {
    requireMethod(req, ['GET', 'HEAD']);
    requireReadKey(req, ctx, query);
    return read(req, res, ctx, query);
  }

  for (const mount of ctx.mounts) {
    if (rawPath.startsWith(mount.prefix) || rawPath === mount.prefix.slice(0, -1)) {
      requireMethod(req, ['GET', 'HEAD']);
      if (rawPath === mount.prefix.slice(0, -1)) {
        res.writeHead(302, { Location: `${mount.prefix}${queryAt === -1 ? '' : req.url.slice(queryAt)}`, 'Content-Length': 0 });
        res.end();
        return undefined;
      }
      return serveStatic(req, res, mount, rawPath);
    }
  }
  throw new HttpError(404, 'not_found', `Nothing at ${rawPath}. Try POST /v1/batch, GET /health, /dashboard/ or /shop/.`);
}

async function handleRequest(req, res, ctx) {
  try {
    await route(req, res, ctx);
  } catch (err) {
    const known = err instanceof HttpError;
    if (!known) ctx.warn(`[collector] ${req.method} ${req.url} failed:`, err);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, known ? err : new HttpError(500, 'internal_error', 'The collector failed to handle this request; see its log.'));
  }
  // Answered before reading everything (413, 401, ...): drain briefly so the client sees the answer.
  discardRestOfRequest(req);
}

function formatUrl(host, port) {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts the collector. Resolves to { url, port, store, chaos, stream, close() } once it is listening.
 * `options.chaos` configures misbehaviour of POST /v1/batch (see chaos.mjs); `chaos.set()`/`reset()` change it later.
 * `options.now` (ms clock) is what the stats and audiences count from; `options.stream` sets
 * { maxClients, heartbeatMs } of GET /v1/stream.
 * `close()` stops the server (dropping idle keep-alive connections) and closes the event log.
 */
export async function startCollector(options = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    dataDir,
    writeKeys = ['demo-key'],
    staticRoots = DEFAULT_STATIC_ROOTS,
    quiet = false,
    log = quiet ? noop : console.log,
    warn = console.warn,
    chaos: chaosOptions = {},
    rules: initialRules,
    now = Date.now,
    stream: streamOptions = {},
  } = options;
  if (typeof dataDir !== 'string' || dataDir === '') throw new TypeError('startCollector: options.dataDir is required');
  if (!Array.isArray(writeKeys) || writeKeys.length === 0 || !writeKeys.every((k) => typeof k === 'string' && k !== '')) {
    throw new TypeError('startCollector: options.writeKeys must be a non-empty array of non-empty strings');
  }

  const chaos = createChaos(chaosOptions, { log });
  const store = openEventStore({ dataDir, warn });
  const stream = createEventStream({ store, warn, ...streamOptions });
  const ctx = {
    store, chaos, log, warn, now, stream, rules: createRulesHolder(initialRules), isKnownKey: createKeyChecker(writeKeys), mounts: normaliseStaticRoots(staticRoots),
  };
  const server = http.createServer((req, res) => { handleRequest(req, res, ctx); });
  // Bound slow or stalled uploads; a demo collector has no reason to wait longer.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    stream.close();
    store.close();
    throw err;
  }

  const actualPort = server.address().port;
  let closing;
  return {
    url: formatUrl(host, actualPort),
    port: actualPort,
    store,
    chaos,
    stream,
    /** The ruleset GET /v1/decisions serves: `rules.set(objectOrText)`, `rules.etag`, `rules.fetches`. */
    rules: ctx.rules,
    close() {
      closing ??= new Promise((resolve) => {
        // End live streams first: an open SSE response would otherwise hold server.close() open.
        stream.close();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
        chaos.close();
      });
      return closing;
    },
  };
}

const USAGE = `Usage: node demo/collector/server.mjs [--port 8080] [--host 127.0.0.1]
       [--data-dir ./.collector-data] [--write-key demo-key ...] [--quiet]
       [--fail-rate 0.3] [--fail-after-store 0.2] [--drop-rate 0.1] [--delay-ms 200]
       [--rate-limit-every 5 [--retry-after 2]]
Env: PARCOURS_COLLECTOR_PORT, PARCOURS_COLLECTOR_DATA_DIR, PARCOURS_COLLECTOR_WRITE_KEY (comma-separated).
Chaos (POST /v1/batch only; change at runtime with GET/POST /v1/chaos using the write key as Basic auth):
  --fail-rate R         share 0..1 of batches answered 500 without storing
  --fail-after-store R  share 0..1 of batches stored, then answered 500 (lost response; retries get deduped)
  --drop-rate R         share 0..1 of batches whose connection is cut without a response
  --delay-ms N          wait N ms (max 30000) before handling each batch
  --rate-limit-every N  every Nth batch answers 429 ...
  --retry-after S       ... with Retry-After: S seconds (default 1)
  POST /v1/chaos also takes {"offline":true}, {"offlineForMs":5000}, {"reset":true}.`;

const CHAOS_FLAGS = {
  'fail-rate': 'failRate',
  'fail-after-store': 'failAfterStore',
  'drop-rate': 'dropRate',
  'delay-ms': 'delayMs',
  'rate-limit-every': 'rateLimit.every',
  'retry-after': 'rateLimit.retryAfterSeconds',
};

/** Turns the chaos CLI flags into a startCollector chaos object; errors name the flag. */
function chaosFromFlags(values) {
  const numbers = {};
  for (const flag of Object.keys(CHAOS_FLAGS)) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${flag} must be a number, got "${text}"`);
    numbers[flag] = value;
  }
  if (numbers['retry-after'] !== undefined && numbers['rate-limit-every'] === undefined) {
    throw new Error('--retry-after needs --rate-limit-every');
  }
  const chaos = {
    failRate: numbers['fail-rate'],
    failAfterStore: numbers['fail-after-store'],
    dropRate: numbers['drop-rate'],
    delayMs: numbers['delay-ms'],
  };
  if (numbers['rate-limit-every'] !== undefined) {
    chaos.rateLimit = { every: numbers['rate-limit-every'], retryAfterSeconds: numbers['retry-after'] };
  }
  try {
    createChaos(chaos);
  } catch (err) {
    if (!(err instanceof ChaosConfigError)) throw err;
    const flag = Object.keys(CHAOS_FLAGS).find((f) => CHAOS_FLAGS[f] === err.field);
    throw new Error(`--${flag}: ${err.message.replace(/^.*?chaos\.\S+ /, '')}`);
  }
  return chaos;
}

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'write-key': { type: 'string', multiple: true },
      quiet: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.keys(CHAOS_FLAGS).map((flag) => [flag, { type: 'string' }])),
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const portText = values.port ?? process.env.PARCOURS_COLLECTOR_PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`--port must be 0-65535, got "${portText}"`);
  const dataDir = path.resolve(values['data-dir'] ?? process.env.PARCOURS_COLLECTOR_DATA_DIR ?? '.collector-data');
  const keyArgs = values['write-key'] ?? [process.env.PARCOURS_COLLECTOR_WRITE_KEY ?? 'demo-key'];
  const writeKeys = keyArgs.flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean);

  const chaos = chaosFromFlags(values);

  const collector = await startCollector({
    port, host: values.host, dataDir, writeKeys, quiet: values.quiet, chaos,
  });
  // Tests and scripts parse this exact line to learn the port.
  console.log(`${LISTENING_PREFIX}${collector.url}`);
  if (!values.quiet) {
    console.log(`  events log: ${collector.store.filePath} (${collector.store.count()} stored)`);
    console.log(`  shop:       ${collector.url}/shop/`);
    console.log(`  dashboard:  ${collector.url}/dashboard/`);
    const { settings } = collector.chaos.snapshot();
    const active = Object.entries(settings).filter(([, v]) => v !== 0 && v !== false && v !== null);
    if (active.length > 0) console.log(`  chaos:      ${JSON.stringify(Object.fromEntries(active))}`);
  }
  const shutdown = () => {
    collector.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`parcours collector failed to start: ${err.message}`);
    console.error(USAGE);
    process.exit(1);
  });
}

// Chaos controller for the demo collector: makes POST /v1/batch misbehave on demand for delivery/retry tests.
//
// Applies ONLY to POST /v1/batch (never to static files, /health, /v1/events or /v1/chaos). Settings:
//   failRate        0..1   share of batch requests answered 500 { error: { code: 'chaos_failure' } }, nothing stored
//   failAfterStore  0..1   share of batch requests whose events ARE stored, then answered 500 (a lost response:
//                          the client retries and the collector's messageId dedupe must absorb it)
//   dropRate        0..1   share of batch requests whose connection is destroyed without any response, nothing stored
//   delayMs         >= 0   wait this long before handling each batch request (capped at 30 000 ms)
//   rateLimit       { every: N, retryAfterSeconds: S } -> every Nth batch request answers 429 with Retry-After: S
//                   (S defaults to 1 and is rounded up to whole seconds); null clears it
//   offline         true -> every batch connection is destroyed (collector unreachable); false -> back online
//   offlineForMs    0..86 400 000   offline for that many ms from now, then automatically back (0 clears it)
//   random          () => [0, 1) used for the rate draws (default Math.random); JS only, for deterministic tests
// Order per request: offline -> delay -> rateLimit -> dropRate -> failRate -> failAfterStore (one draw per
// non-zero rate). set() merges into the current settings (null resets a field); reset() clears settings and counters.
// Configure via startCollector({ chaos }), collector.chaos.set()/reset(), POST/GET /v1/chaos or CLI flags.
import { HttpError } from './http-utils.mjs';

export const MAX_DELAY_MS = 30_000;
export const MAX_OFFLINE_MS = 24 * 60 * 60 * 1000;
const RATE_FIELDS = ['failRate', 'failAfterStore', 'dropRate'];
const KNOWN_FIELDS = new Set([...RATE_FIELDS, 'delayMs', 'rateLimit', 'offline', 'offlineForMs', 'random']);

/** Invalid chaos setting; `field` names the offending setting (e.g. "rateLimit.every"), null for the whole object. */
export class ChaosConfigError extends Error {
  constructor(field, message) {
    super(`${field ? `chaos.${field}` : 'chaos'} ${message}`);
    this.name = 'ChaosConfigError';
    this.field = field;
  }
}

function describe(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try { return JSON.stringify(value) ?? String(value); } catch { return String(value); }
}

function nonNegativeNumber(field, value) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ChaosConfigError(field, `must be a finite number >= 0, got ${describe(value)}`);
  }
  return value;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Checks a (partial) settings object and returns a normalised copy; throws ChaosConfigError naming the field.
 * `null` for a field means "back to the default" (0, off or none).
 */
export function validateChaosSettings(input, { allowRandom = true } = {}) {
  if (!isPlainObject(input)) throw new ChaosConfigError(null, `must be an object, got ${describe(input)}`);
  const out = {};
  for (const [field, value] of Object.entries(input)) {
    if (!KNOWN_FIELDS.has(field) || (field === 'random' && !allowRandom)) {
      throw new ChaosConfigError(field, `is not a chaos setting; known: ${[...KNOWN_FIELDS].filter((f) => allowRandom || f !== 'random').join(', ')}`);
    }
    if (value === undefined) continue;
    if (RATE_FIELDS.includes(field)) {
      if (value === null) { out[field] = 0; continue; }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
        throw new ChaosConfigError(field, `must be a number between 0 and 1, got ${describe(value)}`);
      }
      out[field] = value;
    } else if (field === 'delayMs') {
      out.delayMs = value === null ? 0 : Math.min(nonNegativeNumber(field, value), MAX_DELAY_MS);
    } else if (field === 'offlineForMs') {
      out.offlineForMs = value === null ? 0 : nonNegativeNumber(field, value);
      if (out.offlineForMs > MAX_OFFLINE_MS) throw new ChaosConfigError(field, `must be at most ${MAX_OFFLINE_MS} (24 h), got ${value}`);
    } else if (field === 'offline') {
      if (value !== null && typeof value !== 'boolean') throw new ChaosConfigError(field, `must be true or false, got ${describe(value)}`);
      out.offline = value === true;
    } else if (field === 'random') {
      if (value !== null && typeof value !== 'function') throw new ChaosConfigError(field, `must be a function returning [0, 1), got ${describe(value)}`);
      out.random = value ?? Math.random;
    } else if (field === 'rateLimit') {
      if (value === null || value === false) { out.rateLimit = null; continue; }
      if (!isPlainObject(value)) throw new ChaosConfigError(field, `must be { every, retryAfterSeconds } or null, got ${describe(value)}`);
      for (const key of Object.keys(value)) {
        if (key !== 'every' && key !== 'retryAfterSeconds') {
          throw new ChaosConfigError(`rateLimit.${key}`, 'is not a rateLimit setting; known: every, retryAfterSeconds');
        }
      }
      const { every, retryAfterSeconds = 1 } = value;
      if (!Number.isInteger(every) || every < 1) throw new ChaosConfigError('rateLimit.every', `must be a whole number >= 1, got ${describe(every)}`);
      out.rateLimit = { every, retryAfterSeconds: Math.ceil(nonNegativeNumber('rateLimit.retryAfterSeconds', retryAfterSeconds)) };
    }
  }
  return out;
}

function defaults() {
  return { failRate: 0, failAfterStore: 0, dropRate: 0, delayMs: 0, rateLimit: null, offline: false, offlineUntil: 0 };
}

function zeroStats() {
  return { requests: 0, failed: 0, rateLimited: 0, dropped: 0, offlineRefused: 0, failedAfterStore: 0, delayed: 0 };
}

/**
 * Creates a chaos controller. `initial` is validated like set(); `now` is injectable for tests.
 * Returns { set(partial), reset(), settings, stats, snapshot(), beforeBatch(req, res), afterStore(decision), close() }.
 */
export function createChaos(initial = {}, { now = Date.now, log = () => {} } = {}) {
  let settings = defaults();
  let stats = zeroStats();
  let random = Math.random;
  let rateLimitSeen = 0;
  const sleepers = new Set();

  function apply(partial) {
    const { random: nextRandom, offlineForMs, ...rest } = partial;
    if (nextRandom) random = nextRandom;
    if (rest.offline === false) settings.offlineUntil = 0;
    if (offlineForMs !== undefined) settings.offlineUntil = offlineForMs > 0 ? now() + offlineForMs : 0;
    if ('rateLimit' in rest) rateLimitSeen = 0;
    settings = { ...settings, ...rest };
  }

  function isOffline() {
    return settings.offline || settings.offlineUntil > now();
  }

  function draw(rate) {
    return rate > 0 && random() < rate;
  }

  /** Waits `ms`, or less if the connection closes (client gone, or collector.close()). */
  function sleep(ms, res) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        res.off('close', done);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      res.once('close', done);
      sleepers.add(done);
    });
  }

  function destroy(req) {
    req.socket.destroy();
    return { handled: true };
  }

  const controller = {
    /** Merges a partial settings object (null resets a field). Throws ChaosConfigError on a bad value. */
    set(partial, options) {
      apply(validateChaosSettings(partial, options));
      return controller.snapshot();
    },
    /** Back to no chaos, counters zeroed (the injected random function is kept). */
    reset() {
      settings = defaults();
      stats = zeroStats();
      rateLimitSeen = 0;
      return controller.snapshot();
    },
    get settings() {
      const { offlineUntil, rateLimit, ...rest } = settings;
      return {
        ...rest,
        rateLimit: rateLimit && { ...rateLimit },
        offlineUntil: offlineUntil > now() ? new Date(offlineUntil).toISOString() : null,
      };
    },
    get stats() {
      return { ...stats };
    },
    /** JSON-ready view served by GET /v1/chaos. */
    snapshot() {
      return { settings: controller.settings, offlineNow: isOffline(), stats: controller.stats };
    },

    /**
     * Runs before a POST /v1/batch is handled. Resolves to { handled: true } when chaos already dealt with
     * the connection, or { failAfterStore } for the route; throws HttpError for a chaos 500/429.
     */
    async beforeBatch(req, res) {
      stats.requests += 1;
      if (isOffline()) {
        stats.offlineRefused += 1;
        log('[collector] chaos: offline, connection destroyed');
        return destroy(req);
      }
      if (settings.delayMs > 0) {
        stats.delayed += 1;
        await sleep(settings.delayMs, res);
        if (res.destroyed || req.socket.destroyed) return { handled: true };
      }
      if (settings.rateLimit) {
        rateLimitSeen += 1;
        if (rateLimitSeen % settings.rateLimit.every === 0) {
          stats.rateLimited += 1;
          const seconds = settings.rateLimit.retryAfterSeconds;
          log(`[collector] chaos: 429, retry after ${seconds} s`);
          throw new HttpError(429, 'rate_limited', `Chaos: rate limited (every ${settings.rateLimit.every}th batch); retry after ${seconds} s.`, {
            headers: { 'Retry-After': String(seconds) },
          });
        }
      }
      if (draw(settings.dropRate)) {
        stats.dropped += 1;
        log('[collector] chaos: connection dropped');
        return destroy(req);
      }
      if (draw(settings.failRate)) {
        stats.failed += 1;
        log('[collector] chaos: 500 before storing');
        throw new HttpError(500, 'chaos_failure', 'Chaos: simulated collector failure; nothing was stored, retry later.');
      }
      return { handled: false, failAfterStore: draw(settings.failAfterStore) };
    },

    /** Called by the batch route once events are stored; throws the simulated 500 when it was drawn. */
    afterStore(decision) {
      if (!decision?.failAfterStore) return;
      stats.failedAfterStore += 1;
      log('[collector] chaos: 500 after storing');
      throw new HttpError(500, 'chaos_failure', 'Chaos: simulated failure after the batch was handled; retry later.');
    },

    /** Ends pending delays (used by collector.close()). */
    close() {
      for (const wake of [...sleepers]) wake();
    },
  };

  try {
    controller.set(initial ?? {});
  } catch (err) {
    if (err instanceof ChaosConfigError) err.message = `startCollector: options.${err.message}`;
    throw err;
  }
  return controller;
}

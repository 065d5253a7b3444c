// Reading endpoints behind the dashboard: stats, customers and journeys, audiences and the live
// stream. Each answers from the stored events through the pure modules (stats, journey,
// audiences); all need the write key, as HTTP Basic user or as a `key` query parameter.
import { HttpError, sendJson } from './http-utils.mjs';
import { keyFromHeader, missingKey, unknownKey } from './api-routes.mjs';
import { campaignStats, overview } from './stats.mjs';
import { customerJourney, listCustomers } from './journey.mjs';
import { ABANDONER_COLUMNS, DEFAULT_INACTIVE_MINUTES, cartAbandoners } from './audiences.mjs';
import { toCsv } from './csv.mjs';

const READ_KEY_MESSAGE = 'Reading needs the write key: as the HTTP Basic auth user name, or as ?key= (EventSource cannot send headers).';

function checkKey(req, ctx, query) {
  if (keyFromHeader(req, ctx.isKnownKey) !== undefined) return;
  const key = query.get('key');
  if (key === null || key === '') throw missingKey(READ_KEY_MESSAGE);
  if (!ctx.isKnownKey(key)) throw unknownKey();
}

/**
 * Throws 401 unless the request carries a known write key (header first, then ?key=). The 401
 * has no Basic challenge (WWW-Authenticate): a browser would answer the dashboard's fetch with a
 * password dialog instead of letting the page ask for the key.
 */
export function requireReadKey(req, ctx, query) {
  try {
    checkKey(req, ctx, query);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) throw new HttpError(401, err.code, err.message);
    throw err;
  }
}

function numberParam(query, name, { fallback, min, max, integer = false }) {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new HttpError(400, 'invalid_query', `${name} must be a${integer ? 'n integer' : ' number'} from ${min} to ${max}, got "${text}"`, { path: name });
  }
  return value;
}

// The absolute origin for links handed to other tools; only a plain host[:port] Host header is trusted.
function origin(req) {
  const host = req.headers.host;
  return typeof host === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `http://${host}` : '';
}

function handleOverview(req, res, ctx, query) {
  const minutes = numberParam(query, 'minutes', { fallback: 30, min: 1, max: 24 * 60, integer: true });
  sendJson(res, 200, overview(ctx.store.all(), { now: ctx.now(), minutes }));
}

function handleCampaigns(req, res, ctx) {
  sendJson(res, 200, campaignStats(ctx.store.all(), { now: ctx.now() }));
}

function handleCustomers(req, res, ctx, query) {
  const limit = numberParam(query, 'limit', { fallback: 100, min: 1, max: 1000, integer: true });
  sendJson(res, 200, listCustomers(ctx.store.all(), { query: query.get('q') ?? '', limit }));
}

function handleJourney(req, res, ctx, query, id) {
  const journey = customerJourney(ctx.store.all(), id);
  if (journey === null) throw new HttpError(404, 'unknown_customer', `No events with userId or anonymousId "${id}".`);
  sendJson(res, 200, journey);
}

function handleCartAbandoners(req, res, ctx, query) {
  const inactiveMinutes = numberParam(query, 'inactiveMinutes', { fallback: DEFAULT_INACTIVE_MINUTES, min: 0, max: 365 * 24 * 60 });
  const format = query.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new HttpError(400, 'invalid_query', `format must be "json" or "csv", got "${format}"`, { path: 'format' });
  const audience = cartAbandoners(ctx.store.all(), { now: ctx.now(), inactiveMinutes });
  const base = origin(req);
  for (const customer of audience.customers) customer.emailLink = `${base}${customer.emailLink}`;
  if (format === 'json') {
    sendJson(res, 200, audience);
    return;
  }
  const body = Buffer.from(toCsv(audience.customers, ABANDONER_COLUMNS), 'utf8');
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8; header=present',
    'Content-Disposition': 'attachment; filename="cart-abandoners.csv"',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const EXACT = new Map([
  ['/v1/stats/overview', handleOverview],
  ['/v1/stats/campaigns', handleCampaigns],
  ['/v1/customers', handleCustomers],
  ['/v1/audiences/cart-abandoners', handleCartAbandoners],
  ['/v1/stream', (req, res, ctx, query) => ctx.stream.handle(req, res, query)],
]);
const JOURNEY = /^\/v1\/customers\/([^/]+)\/journey$/;

/** The handler for a reading path, or null when `rawPath` is not one of them. */
export function matchReadRoute(rawPath) {
  const exact = EXACT.get(rawPath);
  if (exact) return exact;
  const journey = JOURNEY.exec(rawPath);
  if (!journey) return null;
  let id;
  try {
    id = decodeURIComponent(journey[1]);
  } catch {
    throw new HttpError(400, 'bad_path', 'The customer id is not valid percent-encoding.');
  }
  return (req, res, ctx, query) => handleJourney(req, res, ctx, query, id);
}

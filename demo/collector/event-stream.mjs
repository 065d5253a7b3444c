// GET /v1/stream: server-sent events fed by the store's appends, for the dashboard's live view.
// Bounded: at most `maxClients` streams, a slow reader is dropped rather than buffered without
// end, heartbeats keep proxies from timing the stream out, and close() ends every stream so the
// collector can shut down with dashboards open.
import { HttpError } from './http-utils.mjs';

export const DEFAULT_MAX_CLIENTS = 16;
export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_BACKLOG = 20;
const MAX_BACKLOG = 200;
// A client this far behind (unsent bytes) is too slow to follow the stream; it reconnects later.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RECONNECT_MS = 3000;

/** One SSE message; the id is the event's 1-based position in the log, so Last-Event-ID resumes after it. */
export function formatSseEvent(record, position) {
  return `id: ${position}\ndata: ${JSON.stringify(record)}\n\n`;
}

function backlogStart(req, query, count) {
  const lastId = req.headers['last-event-id'] ?? query.get('lastEventId');
  if (lastId !== undefined && lastId !== null && /^\d{1,15}$/.test(lastId)) return Math.min(Number(lastId), count);
  const text = query.get('backlog');
  const wanted = text === null ? DEFAULT_BACKLOG : Number(text);
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > MAX_BACKLOG) {
    throw new HttpError(400, 'invalid_query', `backlog must be an integer from 0 to ${MAX_BACKLOG}, got "${text}"`, { path: 'backlog' });
  }
  return Math.max(0, count - wanted);
}

export function createEventStream({ store, maxClients = DEFAULT_MAX_CLIENTS, heartbeatMs = DEFAULT_HEARTBEAT_MS, warn = console.warn }) {
  const clients = new Set();
  let heartbeat = null;
  let closed = false;

  const drop = (res) => {
    clients.delete(res);
    if (clients.size === 0 && heartbeat !== null) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  };
  const send = (res, text) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      warn('[collector] dropping a stream client that reads too slowly');
      drop(res);
      res.destroy();
      return;
    }
    res.write(text);
  };

  const unsubscribe = store.subscribe((records, firstIndex) => {
    if (clients.size === 0) return;
    const text = records.map((record, i) => formatSseEvent(record, firstIndex + i + 1)).join('');
    for (const res of clients) send(res, text);
  });

  return {
    get clients() { return clients.size; },
    handle(req, res, query) {
      if (req.method !== 'GET') {
        throw new HttpError(405, 'method_not_allowed', 'Use GET for this path.', { headers: { Allow: 'GET, OPTIONS' } });
      }
      if (closed) throw new HttpError(503, 'shutting_down', 'The collector is shutting down.');
      if (clients.size >= maxClients) {
        throw new HttpError(503, 'too_many_streams', `At most ${maxClients} live streams at once; close a dashboard tab.`, {
          headers: { 'Retry-After': '10' },
        });
      }
      const all = store.all();
      const start = backlogStart(req, query, all.length);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: ${RECONNECT_MS}\n\n`);
      res.write(all.slice(start).map((record, i) => formatSseEvent(record, start + i + 1)).join(''));
      clients.add(res);
      req.socket.setNoDelay(true);
      res.on('close', () => drop(res));
      heartbeat ??= setInterval(() => {
        for (const client of clients) send(client, ': heartbeat\n\n');
      }, heartbeatMs);
      heartbeat.unref();
    },
    /** Ends every stream and stops listening to the store. */
    close() {
      closed = true;
      unsubscribe();
      for (const res of [...clients]) {
        drop(res);
        res.end();
      }
    },
  };
}

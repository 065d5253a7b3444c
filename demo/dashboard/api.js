// The dashboard's access to the collector: JSON reads with the write key, and the live event stream.
// The key comes from `#key=` in the address, else this tab's earlier choice, else the demo's "demo-key".

const STORAGE_KEY = 'parcours.dashboard.key';

export class AuthError extends Error {}

function initialKey() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) return fromHash;
  try {
    return sessionStorage.getItem(STORAGE_KEY) || 'demo-key';
  } catch {
    return 'demo-key';
  }
}

let key = initialKey();

export function setKey(next) {
  key = next;
  try { sessionStorage.setItem(STORAGE_KEY, next); } catch { /* private mode: keep it in memory */ }
}

/** A collector URL with the key as a query parameter (for links and EventSource, which cannot send headers). */
export function withKey(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  url.searchParams.set('key', key);
  return url.pathname + url.search;
}

export async function getJson(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
  const res = await fetch(url, { headers: { Authorization: `Basic ${btoa(`${key}:`)}` }, cache: 'no-store' });
  if (res.status === 401) throw new AuthError('the write key was refused');
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `${path} answered ${res.status}`);
  return body;
}

/**
 * Follows GET /v1/stream. `onEvents(records)` gets stored events in log order; `onStatus(text, ok)`
 * the connection state. EventSource reconnects by itself and resumes after the last id it saw.
 */
export function openStream({ onEvents, onStatus }) {
  const source = new EventSource(withKey('/v1/stream', { backlog: 50 }));
  let pending = [];
  let scheduled = false;
  source.onopen = () => onStatus('Live', true);
  source.onerror = () => onStatus(source.readyState === EventSource.CLOSED ? 'Disconnected' : 'Reconnecting…', false);
  source.onmessage = (message) => {
    try {
      pending.push(JSON.parse(message.data));
    } catch {
      return;
    }
    // A burst (a backlog, a big batch) becomes one update per frame.
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const records = pending;
      pending = [];
      onEvents(records);
    });
  };
  return source;
}

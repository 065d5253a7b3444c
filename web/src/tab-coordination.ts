// Tabs of one site share the stored queue; this picks the one that delivers it and keeps
// the others informed. A Web Lock held for the page's life where the browser has them
// (released by the browser itself when a tab closes or crashes), a lease in localStorage
// renewed every 2 s otherwise.
import type { KeyValueStore } from './storage.js';

const LEASE_MS = 5000;
const RENEW_MS = 2000;

interface Lease {
  tab: string;
  until: number;
}

function readLease(store: KeyValueStore, key: string): Lease | undefined {
  try {
    const lease = JSON.parse(store.get(key) ?? 'null') as Lease | null;
    return lease && typeof lease.tab === 'string' && typeof lease.until === 'number' ? lease : undefined;
  } catch {
    return undefined;  // A corrupt lease is as good as none.
  }
}

/** Runs the lease; returns whether this tab leads from the start. */
function leaseLeadership(name: string, store: KeyValueStore, onLead: () => void, now: () => number,
                         resign?: AbortSignal): boolean {
  const key = `${name}:lease`;
  const tab = Math.random().toString(36).slice(2) + now().toString(36);
  let leading = false;
  const renew = (): void => {
    const lease = readLease(store, key);
    if (lease && lease.tab !== tab && lease.until > now()) return;
    store.set(key, JSON.stringify({ tab, until: now() + LEASE_MS }));
    // Two tabs may both have seen an expired lease: the last write wins, so read it back.
    if (!leading && readLease(store, key)?.tab === tab) {
      leading = true;
      if (started) onLead();
    }
  };
  let started = false;
  if (resign?.aborted) return false;
  renew();
  started = true;
  const renewing = setInterval(renew, RENEW_MS);
  const giveUp = (): void => {
    if (leading && readLease(store, key)?.tab === tab) store.remove(key);
  };
  addEventListener('pagehide', giveUp);
  resign?.addEventListener('abort', () => {
    clearInterval(renewing);
    giveUp();
    leading = false;
  });
  return leading;
}

// A lock is held as long as its callback's promise is pending: until the page goes, or
// until `resign` aborts.
function holdUntilPageGoes(resign?: AbortSignal): Promise<void> {
  return new Promise<void>((release) => resign?.addEventListener('abort', () => release()));
}

/**
 * Makes this tab the one that delivers for `name` if no other tab is (resolves true), or
 * queues it to take over when the current one goes (resolves false; `onLead` is called then).
 * Deciding before the first event means a lone tab never waits for an election. Aborting
 * `resign` (the core failed to load) gives the lead, or the place in the queue, back.
 */
export async function claimLeadership(
  name: string,
  store: KeyValueStore,
  onLead: () => void,
  now: () => number,
  resign?: AbortSignal,
): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks || typeof locks.request !== 'function') return leaseLeadership(name, store, onLead, now, resign);
  try {
    const leadingNow = await new Promise<boolean>((resolve, reject) => {
      locks
        .request(name, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          return lock ? holdUntilPageGoes(resign) : undefined;
        })
        .catch(reject);
    });
    if (!leadingNow && !resign?.aborted) {
      locks
        .request(name, resign ? { signal: resign } : {}, () => {
          onLead();
          return holdUntilPageGoes(resign);
        })
        .catch(() => undefined);  // Aborted by `resign`.
    }
    return leadingNow;
  } catch {
    return leaseLeadership(name, store, onLead, now, resign);  // Locks refused (some sandboxed frames).
  }
}

/**
 * Reports the entries (keys after `prefix`, such as "q:<messageId>" or "caps") that other
 * tabs store or remove: the browser fires "storage" only in the tabs that did not make the change.
 */
export function watchOtherTabs(
  prefix: string,
  onStored: (key: string, value: string) => void,
  onRemoved: (key: string) => void,
): void {
  addEventListener('storage', (event: StorageEvent) => {
    if (event.key === null || !event.key.startsWith(prefix)) return;
    const key = event.key.slice(prefix.length);
    if (event.newValue === null) onRemoved(key);
    else onStored(key, event.newValue);
  });
}

/** What one tab tells the site's other tabs, so a decision made in one holds in all. */
export type TabMessage =
  | { kind: 'consent'; categories: Record<string, boolean | null> }
  | { kind: 'identity'; anonymousId: string; userId: string | null };

/**
 * A BroadcastChannel between the tabs of one site and write key. It writes nothing to
 * storage, so consent can travel before it is given. Null where the browser has none.
 */
export function openTabChannel(name: string, onMessage: (message: TabMessage) => void): ((message: TabMessage) => void) | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as TabMessage | undefined;
    if (message && (message.kind === 'consent' || message.kind === 'identity')) onMessage(message);
  };
  return (message) => channel.postMessage(message);
}

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

function leaseLeadership(name: string, store: KeyValueStore, onLead: () => void, now: () => number): void {
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
      onLead();
    }
  };
  renew();
  setInterval(renew, RENEW_MS);
  addEventListener('pagehide', () => {
    if (leading && readLease(store, key)?.tab === tab) store.remove(key);
  });
}

/** Calls `onLead` once this tab becomes the one that delivers for `name`. */
export function watchLeadership(name: string, store: KeyValueStore, onLead: () => void, now: () => number): void {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks && typeof locks.request === 'function') {
    void locks
      .request(name, () => {
        onLead();
        return new Promise<void>(() => undefined);  // Held until the page goes away.
      })
      .catch(() => leaseLeadership(name, store, onLead, now));
    return;
  }
  leaseLeadership(name, store, onLead, now);
}

/**
 * Reports the queue entries (keys after `prefix`, such as "q:<messageId>") that other tabs
 * store or remove: the browser fires "storage" only in the tabs that did not make the change.
 */
export function watchOtherTabs(
  prefix: string,
  onStored: (key: string, value: string) => void,
  onRemoved: (key: string) => void,
): void {
  addEventListener('storage', (event: StorageEvent) => {
    if (event.key === null || !event.key.startsWith(`${prefix}q:`)) return;
    const key = event.key.slice(prefix.length);
    if (event.newValue === null) onRemoved(key);
    else onStored(key, event.newValue);
  });
}

// Storage adapters: localStorage when it works, memory when it does not (disabled, full,
// private mode), so a storage failure never stops tracking.
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
  /** Every key held, so queued events (one key each) can be found on page load. */
  keys(): string[];
}

export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  remove(key: string): void {
    this.values.delete(key);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}

/**
 * localStorage with a memory twin: a write that fails (quota, SecurityError) goes to memory
 * and is warned about once; reads prefer what memory holds, since it is newer.
 */
export class WebStorageStore implements KeyValueStore {
  private readonly fallback = new MemoryStore();
  private warned = false;

  constructor(
    private readonly storage: Storage,
    private readonly warn: (message: string) => void,
  ) {}

  get(key: string): string | null {
    const inMemory = this.fallback.get(key);
    if (inMemory !== null) return inMemory;
    try {
      return this.storage.getItem(key);
    } catch {
      return null;
    }
  }

  set(key: string, value: string): void {
    try {
      this.storage.setItem(key, value);
      this.fallback.remove(key);
    } catch (error) {
      this.fallback.set(key, value);
      if (!this.warned) {
        this.warned = true;
        this.warn(`localStorage refused a write (${(error as Error).name}); keeping state in memory for this page`);
      }
    }
  }

  remove(key: string): void {
    this.fallback.remove(key);
    try {
      this.storage.removeItem(key);
    } catch {
      // Nothing to undo: the value is gone from memory, and storage is unusable anyway.
    }
  }

  keys(): string[] {
    const keys = new Set(this.fallback.keys());
    try {
      for (let i = 0; i < this.storage.length; i += 1) {
        const key = this.storage.key(i);
        if (key !== null) keys.add(key);
      }
    } catch {
      // Unreadable storage: memory is all there is.
    }
    return [...keys];
  }
}

/** localStorage if this host has a usable one, memory otherwise. */
export function defaultStore(warn: (message: string) => void): KeyValueStore {
  try {
    // Read-only check: before consent nothing may be written, not even a probe. Blocked
    // storage throws here; full storage is handled by WebStorageStore's memory twin.
    const storage = globalThis.localStorage;
    if (storage && typeof storage.length === 'number') return new WebStorageStore(storage, warn);
  } catch {
    // Storage disabled by the browser or the user: fall through to memory.
  }
  return new MemoryStore();
}

/** Keeps one client's keys apart from another's (two write keys on one site). */
export function namespacedKey(writeKey: string, key: string): string {
  return `parcours:${writeKey}:${key}`;
}

// The core's single entries besides its queue: identity and counters, session, cart.
const CORE_ENTRIES = ['state', 'session', 'cart', 'rules', 'rulesChecked', 'caps', 'profile'];

/** What the core stored for one write key: its single entries and its "q:<messageId>" entries. */
export function readStoredCore(store: KeyValueStore, writeKey: string): Record<string, unknown> & { queue: Record<string, string> } {
  const prefix = namespacedKey(writeKey, '');
  const stored: Record<string, unknown> & { queue: Record<string, string> } = { queue: {} };
  for (const key of store.keys()) {
    if (!key.startsWith(prefix)) continue;
    const value = store.get(key);
    if (value === null) continue;
    const coreKey = key.slice(prefix.length);
    if (CORE_ENTRIES.includes(coreKey)) stored[coreKey] = value;
    else if (coreKey.startsWith('q:')) stored.queue[coreKey] = value;
  }
  return stored;
}

// The client behind createParcours: buffers calls until the core is loaded, turns each call
// into a core input, and answers with a CallResult. Calls never throw into the page.
import { CoreBridge, type CoreInput, type CoreOutput } from './core-bridge.js';
import { EffectRunner } from './effect-runner.js';
import { collectContext, contextKey, randomSeed } from './environment.js';
import { defaultStore, MemoryStore, namespacedKey, readStoredCore, WebStorageStore, type KeyValueStore } from './storage.js';
import { watchLeadership, watchOtherTabs } from './tab-coordination.js';
import type {
  CallResult,
  DeliveryStats,
  FlushResult,
  Logger,
  Parcours,
  ParcoursError,
  ParcoursOptions,
  Properties,
} from './types.js';

// Options that belong to the shell; everything else is the core's config.
const SHELL_OPTIONS = ['debug', 'storage', 'wasmUrl', 'wasmBinary', 'fetch', 'logger', 'requestTimeoutMs', 'gzip'];

// With gzip a 450 KB body shrinks to ~25 KB: still a keepalive-sized request, under the
// collector's 500 KB limit once decompressed.
const GZIP_MAX_BATCH_BYTES = 450 * 1024;

function coreConfig(options: ParcoursOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (options.gzip === true) config.maxBatchBytes = GZIP_MAX_BATCH_BYTES;
  for (const [key, value] of Object.entries(options)) {
    if (!SHELL_OPTIONS.includes(key) && value !== undefined) config[key] = value;
  }
  return config;
}

function droppedTotal(stats: DeliveryStats): number {
  return stats.dropped.rejected + stats.dropped.maxAttempts + stats.dropped.queueFull + stats.dropped.expired;
}

function asError(error: unknown, fallback: ParcoursError['code']): ParcoursError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return error as ParcoursError;
  return { code: fallback, message: `[parcours.${fallback}] ${(error as Error)?.message ?? String(error)}` };
}

export class Client implements Parcours {
  readonly ready: Promise<void>;
  private core: CoreBridge | undefined;
  private failure: ParcoursError | undefined;
  private readonly buffered: Array<() => void> = [];
  private readonly store: KeyValueStore;
  private readonly runner: EffectRunner;
  private readonly logger: Logger;
  private readonly now = (): number => Date.now();
  private contextKey = '';
  private anonymous = '';

  constructor(private readonly options: ParcoursOptions) {
    this.logger = options.logger ?? console;
    const warn = (message: string): void => this.logger.warn(`[parcours] ${message}`);
    this.store =
      options.storage === 'memory' ? new MemoryStore() : options.storage ?? defaultStore(warn);
    this.runner = new EffectRunner({
      store: this.store,
      storageKey: (key) => namespacedKey(String(options.writeKey), key),
      writeKey: String(options.writeKey),
      fetch: options.fetch ?? ((...args) => fetch(...args)),
      requestTimeoutMs: options.requestTimeoutMs ?? 30000,
      gzip: options.gzip === true,
      logger: this.logger,
      debug: options.debug === true,
      now: this.now,
      dispatch: (input) => void this.dispatch(input),
    });
    this.ready = this.load();
    // `ready` rejects for whoever awaits it; this keeps an unawaited one from being "unhandled".
    this.ready.catch(() => undefined);
  }

  track(event: string, properties?: Properties): Promise<CallResult> {
    return this.call(() => this.record({ type: 'track', event, properties }));
  }

  page(nameOrProperties?: string | Properties, properties?: Properties): Promise<CallResult> {
    const named = typeof nameOrProperties === 'string';
    return this.call(() =>
      this.record({ type: 'page', name: named ? nameOrProperties : undefined,
                    properties: named ? properties : nameOrProperties }),
    );
  }

  async flush(): Promise<FlushResult> {
    const settled = await this.call(async (): Promise<FlushResult> => {
      const droppedBefore = droppedTotal(this.currentStats());
      this.dispatch({ type: 'flush' });
      const pending = await this.runner.whenSettled();
      const dropped = droppedTotal(this.currentStats()) - droppedBefore;
      return { delivered: pending === 0 && dropped === 0, pending, dropped };
    });
    return 'delivered' in settled ? settled : { delivered: false, pending: 0, dropped: 0 };
  }

  async stats(): Promise<DeliveryStats> {
    await this.ready;
    return this.currentStats();
  }

  private currentStats(): DeliveryStats {
    return this.dispatch({ type: 'stats' }).result as unknown as DeliveryStats;
  }

  async anonymousId(): Promise<string> {
    await this.ready;
    return this.anonymous;
  }

  private async load(): Promise<void> {
    try {
      this.core = await CoreBridge.load(this.options);
      this.contextKey = contextKey();
      // With storage shared between tabs, a tab starts as a follower and delivers once elected.
      const shared = this.store instanceof WebStorageStore && typeof addEventListener === 'function';
      const output = this.core.handle({
        type: 'init',
        now: this.now(),
        config: coreConfig(this.options),
        seed: randomSeed(),
        context: collectContext(),
        leader: !shared,
        ...readStoredCore(this.store, String(this.options.writeKey)),
      });
      if (!output.ok) throw output.error;
      this.anonymous = String(output.result?.anonymousId ?? '');
      this.runner.apply(output);
      this.watchPageLifecycle();
      if (shared) this.shareQueueWithOtherTabs();
    } catch (error) {
      this.failure = asError(error, 'shell.load_failed');
      this.logger.error(this.failure.message);
      throw this.failure;
    } finally {
      for (const run of this.buffered.splice(0)) run();
    }
  }

  /** Runs `run` now if loaded, after load otherwise (keeping call order); refuses after a failed load. */
  private call<T>(run: () => T): Promise<T | CallResult & { ok: false }> {
    const refuse = (): CallResult & { ok: false } => ({ ok: false, error: this.failure as ParcoursError });
    if (this.failure) return Promise.resolve(refuse());
    if (this.core) return Promise.resolve(run());
    return new Promise((resolve) => this.buffered.push(() => resolve(this.failure ? refuse() : run())));
  }

  private record(input: Omit<CoreInput, 'now'>): CallResult {
    const output = this.dispatch(input);
    if (output.ok) return { ok: true, messageId: String(output.result?.messageId) };
    const error = output.error as ParcoursError;
    if (this.options.debug) this.logger.warn(`[parcours] ${input.type} refused:`, error.message);
    return { ok: false, error };
  }

  private dispatch(input: Omit<CoreInput, 'now'>): CoreOutput {
    const core = this.core as CoreBridge;
    // SPA navigations and late title changes alter the page context; comparing URL and title
    // per call is cheaper than hooks and cannot miss one.
    const key = contextKey();
    if (key !== this.contextKey) {
      this.contextKey = key;
      this.runner.apply(core.handle({ type: 'context', now: this.now(), context: collectContext() }));
    }
    const full = { ...input, now: this.now() } as CoreInput;
    let serialized: string;
    try {
      serialized = JSON.stringify(full);
    } catch (error) {
      const message = `[parcours.event.not_serializable] ${(error as Error).message}`;
      return { ok: false, error: { code: 'event.not_serializable', message, path: 'properties' }, effects: [] };
    }
    const output = core.handle(full, serialized);
    if (this.options.debug) this.logger.debug('[parcours] input', input.type, output);
    this.runner.apply(output);
    return output;
  }

  private shareQueueWithOtherTabs(): void {
    const writeKey = String(this.options.writeKey);
    watchLeadership(
      namespacedKey(writeKey, 'deliver'),
      this.store,
      () => this.dispatch({ type: 'lead', leader: true, queue: readStoredCore(this.store, writeKey).queue }),
      this.now,
    );
    watchOtherTabs(
      namespacedKey(writeKey, ''),
      (key, value) => this.dispatch({ type: 'adopt', queue: { [key]: value } }),
      (key) => this.dispatch({ type: 'forget', keys: [key] }),
    );
  }

  private watchPageLifecycle(): void {
    if (typeof addEventListener !== 'function' || typeof document === 'undefined') return;
    // Leaving (or hiding: mobile browsers may kill a hidden page without pagehide): send
    // everything pending now, with keepalive or a beacon. Anything unconfirmed stays stored and
    // is retried by the next page load (at-least-once, deduped by messageId).
    const leave = (): void => void this.dispatch({ type: 'unload' });
    addEventListener('pagehide', leave);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') leave();
      else this.runner.reportBeacons();
    });
    addEventListener('pageshow', () => this.runner.reportBeacons());
    // Offline, sending would only burn attempts; "online" sends what waited at once.
    const network = (): void => void this.dispatch({ type: 'network', online: navigator.onLine !== false });
    addEventListener('online', network);
    addEventListener('offline', network);
    if (typeof navigator !== 'undefined' && navigator.onLine === false) network();
  }
}

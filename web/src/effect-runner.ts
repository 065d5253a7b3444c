// Carries out the core's effects: persist to storage, arm the single wake-up timer, POST
// batches and report their outcome back, log. Also tells flush() when the queue settles.
import type { CoreInput, CoreOutput, Effect, QueueState } from './core-bridge.js';
import { fetchRules } from './decisions.js';
import type { KeyValueStore } from './storage.js';
import { KeepaliveBudget, postBatch, sendBeacon } from './transport.js';
import type { DecisionData } from './decisions.js';
import type { Logger } from './types.js';

export interface RunnerDeps {
  store: KeyValueStore;
  storageKey(key: string): string;
  writeKey: string;
  fetch: typeof fetch;
  requestTimeoutMs: number;
  gzip: boolean;
  logger: Logger;
  debug: boolean;
  now(): number;
  /** A decision to render. */
  show(decision: DecisionData): void;
  /** Forward mode of a webview: hands a batch to the native app instead of the network; false if it refused. */
  forward?(batch: { batchId: string; url: string; body: string; events: number }): boolean;
  /** Direct mode of a webview: tells the app a batch was sent (status 0: failed, will be retried). */
  sent?(batchId: string, events: number, status: number): void;
  /** Hands an input (a timer tick, a delivery result) back to the core. */
  dispatch(input: Omit<CoreInput, 'now'>): void;
}

type Timer = ReturnType<typeof setTimeout> & { unref?: () => void };

export class EffectRunner {
  private timer: Timer | undefined;
  private queue: QueueState = { pending: 0, inFlight: 0, retrying: false, paused: false };
  private flushWaiters: Array<(pending: number) => void> = [];
  private readonly keepalive = new KeepaliveBudget();
  // Batches handed to sendBeacon: no answer will come, so if the page turns out to live on
  // they are reported unconfirmed (and retried; collectors dedupe by messageId).
  private beaconed: string[] = [];

  constructor(private readonly deps: RunnerDeps) {}

  apply(output: CoreOutput): void {
    // The queue state first: an effect may hand the core another input whose newer state
    // must not be overwritten by this older one afterwards.
    if (output.queue) this.queue = output.queue;
    for (const effect of output.effects) this.run(effect);
    if (output.queue && this.settled()) this.releaseFlushWaiters();
  }

  /**
   * Resolves, with the number of events still pending, once nothing is in flight and nothing
   * is pending except what waits for a retry.
   */
  whenSettled(): Promise<number> {
    if (this.settled()) return Promise.resolve(this.queue.pending);
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  private settled(): boolean {
    // Paused (no consent yet, offline, another tab delivers): flush() would wait forever.
    return this.queue.inFlight === 0 && (this.queue.pending === 0 || this.queue.retrying || this.queue.paused);
  }

  private releaseFlushWaiters(): void {
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const resolve of waiters) resolve(this.queue.pending);
  }

  private run(effect: Effect): void {
    const { deps } = this;
    if (deps.debug) deps.logger.debug('[parcours] effect', effect.type, effect);
    switch (effect.type) {
      case 'persist':
        deps.store.set(deps.storageKey(effect.key), effect.value);
        break;
      case 'remove':
        deps.store.remove(deps.storageKey(effect.key));
        break;
      case 'schedule':
        this.arm(effect.at);
        break;
      case 'send':
        if (effect.unload) this.deliverOnUnload(effect);
        else void this.deliver(effect);
        break;
      case 'log':
        this.log(effect.level, effect.message);
        break;
      case 'show':
        deps.show(effect.decision);
        break;
      case 'fetchRules':
        void fetchRules(effect.url, effect.etag, { fetch: deps.fetch, timeoutMs: deps.requestTimeoutMs })
          .then((answer) => deps.dispatch(answer));
        break;
    }
  }

  private arm(at: number | null): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (at === null) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deps.dispatch({ type: 'tick' });
    }, Math.max(0, at - this.deps.now())) as Timer;
    // In Node a pending batch timer must not keep the process alive; call flush() before exit.
    this.timer.unref?.();
  }

  /**
   * The app took the batch (its own queue and networking apply from here) or refused it. It
   * is handed over at once (even on unload); the core hears of it after the effects of the
   * current output have run, so they apply in the order the core gave them.
   */
  private forwardToApp(effect: Extract<Effect, { type: 'send' }>, forward: NonNullable<RunnerDeps['forward']>): void {
    const taken = forward(effect);
    queueMicrotask(() => this.deps.dispatch(taken
      ? { type: 'delivered', batchId: effect.batchId, status: 200 }
      : { type: 'delivered', batchId: effect.batchId, status: 0, error: 'the native app did not take the batch' }));
  }

  private async deliver(effect: Extract<Effect, { type: 'send' }>, gzip = this.deps.gzip): Promise<void> {
    const { deps } = this;
    if (deps.forward) return this.forwardToApp(effect, deps.forward);
    const outcome = await postBatch(effect.url, effect.body, deps.writeKey, this.keepalive, {
      fetch: deps.fetch,
      timeoutMs: deps.requestTimeoutMs,
      now: deps.now,
      gzip,
    });
    deps.sent?.(effect.batchId, effect.events, outcome.status);
    deps.dispatch({ type: 'delivered', batchId: effect.batchId, ...outcome });
  }

  /**
   * The page is going away: start the request synchronously (no gzip, which would need an
   * await), with keepalive while the budget lasts and sendBeacon after. Whatever neither can
   * take stays stored and goes with the next page load.
   */
  private deliverOnUnload(effect: Extract<Effect, { type: 'send' }>): void {
    if (this.deps.forward) {
      this.forwardToApp(effect, this.deps.forward);
    } else if (this.keepalive.fits(new TextEncoder().encode(effect.body).length)) {
      void this.deliver(effect, false);  // postBatch reserves the budget before its first await.
    } else if (sendBeacon(effect.url, effect.body)) {
      this.beaconed.push(effect.batchId);
    } else {
      this.deps.dispatch({ type: 'delivered', batchId: effect.batchId, status: 0, error: 'keepalive budget spent' });
    }
  }

  /** The page is visible again after an unload: beacons were never confirmed, retry them. */
  reportBeacons(): void {
    const batches = this.beaconed;
    this.beaconed = [];
    for (const batchId of batches) {
      this.deps.dispatch({ type: 'delivered', batchId, status: 0, error: 'sent by sendBeacon, unconfirmed' });
    }
  }

  private log(level: string, message: string): void {
    const text = `[parcours] ${message}`;
    if (level === 'error') this.deps.logger.error(text);
    else if (level === 'warn') this.deps.logger.warn(text);
    else if (this.deps.debug) this.deps.logger.debug(text);
  }
}

// The client behind createParcours: buffers calls until the core is loaded, runs middleware,
// turns each call into a core input, and answers with a result. Calls never throw into the page.
import { CallBatch, callJson } from './call-batch.js';
import { CoreBridge, type CoreInput, type CoreOutput } from './core-bridge.js';
import { createDecisionsApi, utcOffsetMinutes } from './decisions.js';
import { createEcommerce, type Ecommerce } from './ecommerce.js';
import { coreConfig } from './core-config.js';
import { EffectRunner } from './effect-runner.js';
import { asError, failure } from './errors.js';
import { collectContext, contextKey, randomSeed } from './environment.js';
import { readIdentityParams, withoutIdentityParams } from './identity-params.js';
import { MiddlewareChain, type Middleware, type Payload } from './middleware.js';
import { OfferRouter } from './offer-router.js';
import { attachToPage, inBrowser } from './page-integration.js';
import { defaultStore, MemoryStore, namespacedKey, readStoredCore, WebStorageStore, type KeyValueStore } from './storage.js';
import { claimLeadership, openTabChannel, type TabMessage } from './tab-coordination.js';
import { WebviewBridge } from './webview/bridge.js';
import { detectHost } from './webview/host.js';
import type {
  CallResult,
  ConsentApi,
  ConsentCategories,
  ConsentResult,
  Decision,
  DecisionsApi,
  DeliveryStats,
  FlushResult,
  InspectResult,
  Logger,
  Parcours,
  ParcoursError,
  ParcoursOptions,
  Properties,
} from './types.js';

function droppedTotal(stats: DeliveryStats): number {
  return Object.values(stats.dropped).reduce((sum, count) => sum + count, 0);
}

export class Client implements Parcours {
  readonly ready: Promise<void>;
  readonly consent: ConsentApi;
  readonly ecommerce: Ecommerce<CallResult>;
  readonly decisions: DecisionsApi;
  private readonly offers: OfferRouter;
  // The native app hosting this page, if any (docs/WEBVIEW.md).
  private readonly bridge: WebviewBridge | null;
  private core: CoreBridge | undefined;
  private loadFailure: ParcoursError | undefined;
  private readonly buffered: Array<() => void> = [];
  private readonly store: KeyValueStore;
  private readonly runner: EffectRunner;
  private readonly logger: Logger;
  private readonly middleware = new MiddlewareChain();
  private readonly writeKey: string;
  private readonly now = (): number => Date.now();
  private contextKey = '';
  private anonymous = '';
  private initialized = false;  // The core answered init: inputs may follow.
  // Tells the site's other tabs about consent and identity changes; null outside browsers.
  private tellOtherTabs: ((message: TabMessage) => void) | null = null;
  // track, page, identify, group and alias reach the core in one crossing per microtask (or
  // per 64 KB of calls during a synchronous burst).
  private readonly batch = new CallBatch({
    handle: (input) => this.handleNow(input),
    settled: (types, results) => this.onCallsSettled(types, results),
    now: this.now,
  });

  constructor(private readonly options: ParcoursOptions) {
    // First of all: the module downloads and compiles off the main thread while the rest of
    // the setup runs (opening localStorage alone blocks it for several ms on a first access).
    const core = CoreBridge.load(options);
    core.catch(() => undefined);  // Awaited in load().
    this.logger = options.logger ?? console;
    this.writeKey = String(options.writeKey);
    const warn = (message: string): void => this.logger.warn(`[parcours] ${message}`);
    this.store = options.storage === 'memory' ? new MemoryStore() : options.storage ?? defaultStore(warn);
    // Next the tab election, a round trip to the browser's lock manager: it needs the store,
    // not the core, and runs while the module downloads and the rest of the setup runs.
    const resign = new AbortController();
    const election = this.sharesStorage()
      ? claimLeadership(namespacedKey(this.writeKey, 'deliver'), this.store, () => this.takeTheLead(), this.now, resign.signal)
      : Promise.resolve(true);
    election.catch(() => undefined);  // Awaited in load(), unless the core fails first.
    const host = inBrowser() && options.webview !== false ? detectHost() : null;
    this.bridge = host ? new WebviewBridge(host, options.webview || {}, this.logger, options.debug === true) : null;
    const bridge = this.bridge;
    this.runner = new EffectRunner({
      store: this.store,
      storageKey: (key) => namespacedKey(this.writeKey, key),
      writeKey: this.writeKey,
      fetch: options.fetch ?? ((...args) => fetch(...args)),
      requestTimeoutMs: options.requestTimeoutMs ?? 30000,
      gzip: options.gzip === true,
      logger: this.logger,
      debug: options.debug === true,
      now: this.now,
      show: (decision) => this.offers.present(decision),
      dispatch: (input) => void this.dispatch(input),
      ...(bridge?.mode === 'forward' ? { forward: (batch) => bridge.forward(batch) } : {}),
      ...(bridge ? { sent: (batchId, events, status) => bridge.sent(batchId, events, status) } : {}),
    });
    this.decisions = createDecisionsApi({ run: (input) => this.call(() => this.dispatch(input)) });
    this.offers = new OfferRouter({
      render: options.render,
      browser: inBrowser(),
      report: (decisionId, action) => this.decisions.report(decisionId, action),
      identify: (traits) => this.identify(traits),
      logger: this.logger,
      debug: options.debug === true,
    });
    this.consent = {
      set: (categories: ConsentCategories) => this.consentCall(categories),
      get: async () => {
        const result = await this.consentCall({});
        return result.ok ? result.categoryPreferences : {};
      },
    };
    this.ecommerce = createEcommerce((event, properties) => this.track(event, properties));
    if (inBrowser()) this.listenToPage();
    this.ready = this.load(core, election, resign);
    // `ready` rejects for whoever awaits it; this keeps an unawaited one from being "unhandled".
    this.ready.catch(() => undefined);
  }

  track(event: string, properties?: Properties): Promise<CallResult> {
    return this.record({ type: 'track', event, properties });
  }

  page(nameOrProperties?: string | Properties, properties?: Properties): Promise<CallResult> {
    const named = typeof nameOrProperties === 'string';
    return this.record({ type: 'page', name: named ? nameOrProperties : undefined,
                         properties: named ? properties : nameOrProperties });
  }

  identify(userIdOrTraits?: string | Properties, traits?: Properties): Promise<CallResult> {
    // identify(traits) when the first argument is a plain object; otherwise it is the user id
    // (undefined: none, a number: refused by the core as an invalid id) and traits follow.
    const traitsOnly = typeof userIdOrTraits === 'object' && userIdOrTraits !== null && !Array.isArray(userIdOrTraits);
    return this.record({ type: 'identify', userId: traitsOnly ? undefined : (userIdOrTraits as string | undefined),
                         traits: traitsOnly ? userIdOrTraits : traits });
  }

  group(groupId: string, traits?: Properties): Promise<CallResult> {
    return this.record({ type: 'group', groupId, traits });
  }

  alias(userId: string, previousId?: string): Promise<CallResult> {
    return this.record({ type: 'alias', userId, previousId });
  }

  async reset(): Promise<void> {
    await this.call(() => {
      const output = this.dispatch({ type: 'reset' });
      if (output.ok) {
        this.anonymous = String(output.result?.anonymousId ?? this.anonymous);
        this.tellOtherTabs?.({ kind: 'identity', anonymousId: this.anonymous, userId: null });
        this.bridge?.identityChanged(this.anonymous, null);
      }
    });
  }

  setIdentity(ids: { userId?: string; anonymousId?: string; traits?: Properties }): Promise<CallResult | { ok: true }> {
    return this.call(() => {
      const output = this.dispatch({ type: 'identity', userId: ids?.userId, anonymousId: ids?.anonymousId, traits: ids?.traits });
      if (!output.ok) return { ok: false as const, error: output.error as ParcoursError };
      this.anonymous = String(output.result?.anonymousId ?? this.anonymous);
      this.shareIdentity();
      return { ok: true as const };
    });
  }

  onDecision(handler: (decision: Decision) => void): () => void {
    return this.offers.onDecision(handler);
  }

  use(middleware: Middleware): () => void {
    return this.middleware.use(middleware);
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
    await this.ready.catch(() => undefined);
    if (!this.core || this.loadFailure) {
      return { delivered: 0, retries: 0, dropped: { rejected: 0, maxAttempts: 0, queueFull: 0, expired: 0, consent: 0 } };
    }
    return this.currentStats();
  }

  /** Resolves with null when the core could not load. */
  async inspect(): Promise<InspectResult | null> {
    await this.ready.catch(() => undefined);
    if (!this.core || this.loadFailure) return null;
    const state = this.dispatch({ type: 'inspect' }).result as unknown as InspectResult;
    return { ...state, wasmMemoryBytes: (this.core as CoreBridge).memoryBytes() };
  }

  async anonymousId(): Promise<string> {
    await this.ready.catch(() => undefined);
    return this.anonymous;
  }

  /** The core counts days and hours in the ruleset's time zone; only the shell has zone data. */
  private syncClock(result: Record<string, unknown> | undefined): void {
    if (!result || result.loaded !== true) return;
    const timezone = typeof result.timezone === 'string' && result.timezone !== '' ? result.timezone : undefined;
    this.dispatch({ type: 'clock', utcOffsetMinutes: utcOffsetMinutes(timezone) });
  }

  private currentStats(): DeliveryStats {
    return this.dispatch({ type: 'stats' }).result as unknown as DeliveryStats;
  }

  private consentCall(categories: ConsentCategories): Promise<ConsentResult> {
    return this.call((): ConsentResult => {
      const output = this.dispatch({ type: 'consent', categories });
      if (!output.ok) return { ok: false, error: output.error as ParcoursError };
      this.anonymous = String(output.result?.anonymousId ?? this.anonymous);
      // A withdrawal in one tab must stop the others too, before they reload.
      if (Object.keys(categories).length > 0) this.tellOtherTabs?.({ kind: 'consent', categories });
      return { ok: true, categoryPreferences: output.result?.categoryPreferences as Record<string, boolean | null> };
    });
  }

  /**
   * Initializes the core once it is loaded and the election (with storage shared between tabs,
   * one tab delivers; the others follow until it goes) has answered.
   */
  private async load(core: Promise<CoreBridge>, election: Promise<boolean>, resign: AbortController): Promise<void> {
    try {
      this.core = await core;
      // An email link's ?pc_uid= / ?pc_aid= make this visit the same customer's; they are
      // taken out of the address bar so they are not shared along with the URL.
      const handedOver = typeof location !== 'undefined' ? readIdentityParams(location.search) : {};
      // Stripped even when invalid: an id must not stay in the address bar or in page context.
      if (typeof history !== 'undefined' && typeof location !== 'undefined') {
        const cleaned = withoutIdentityParams(location.href);
        if (cleaned !== location.href) history.replaceState(history.state, '', cleaned);
      }
      this.contextKey = contextKey();
      const leader = await election;
      const output = this.core.handle({
        type: 'init',
        now: this.now(),
        config: coreConfig(this.options),
        seed: randomSeed(),
        context: collectContext(this.channel()),
        leader,
        ...readStoredCore(this.store, this.writeKey),
      });
      if (!output.ok) throw output.error;
      this.anonymous = String(output.result?.anonymousId ?? '');
      this.initialized = true;
      this.runner.apply(output);
      this.syncClock(output.result?.rules as Record<string, unknown> | undefined);
      if (handedOver.userId || handedOver.anonymousId) {
        const set = this.dispatch({ type: 'identity', ...handedOver });
        if (set.ok) this.anonymous = String(set.result?.anonymousId ?? this.anonymous);
      }
      // The app's handover (identity, consent, rules) applies before the first page view.
      if (this.bridge) await this.attachBridge(this.bridge);
      if (this.options.autoPage !== false && inBrowser()) void this.recordNow({ type: 'page' });
    } catch (error) {
      resign.abort();  // A tab without a core must not keep the others from delivering.
      this.loadFailure = asError(error, 'shell.load_failed');
      this.logger.error(this.loadFailure.message);
      throw this.loadFailure;
    } finally {
      for (const run of this.buffered.splice(0)) run();
    }
  }

  private sharesStorage(): boolean {
    return this.store instanceof WebStorageStore && inBrowser();
  }

  /**
   * Listens to the page and to the site's other tabs from the constructor: adding the
   * listeners costs milliseconds on a busy page, better spent while the module downloads than
   * after it. What they hear waits for init like any call, and is ignored after a failed load.
   */
  private listenToPage(): void {
    attachToPage(
      { dispatch: (input) => void this.call(() => this.dispatch(input)), pageView: () => void this.page(),
        runner: this.runner, store: this.store, writeKey: this.writeKey, now: this.now },
      { autoPage: this.options.autoPage !== false, sharedStorage: this.sharesStorage() },
    );
    this.tellOtherTabs = openTabChannel(namespacedKey(this.writeKey, 'tabs'), (m) => void this.call(() => this.onTabMessage(m)));
  }

  /** `web` in a browser, or the native host's channel (`ios-webview`…); stamped as context.channel. */
  private channel(): string | undefined {
    return this.bridge?.channel ?? (inBrowser() ? 'web' : undefined);
  }

  private attachBridge(bridge: WebviewBridge): Promise<void> {
    return bridge.attach({
      setIdentity: (handover) => this.setIdentity(handover),
      setConsent: (categories) => this.consent.set(categories),
      loadRules: (ruleset) => this.decisions.load(ruleset),
      report: (decisionId, action) => this.decisions.report(decisionId, action),
      reset: () => this.reset(),
      onDecision: (handler) => this.onDecision(handler),
      leave: () => void this.dispatch({ type: 'unload' }),
      resume: () => this.runner.reportBeacons(),
    }, () => {
      const { anonymousId, userId } = this.dispatch({ type: 'inspect' }).result as { anonymousId: string; userId: string | null };
      return { anonymousId, userId };
    });
  }

  /** Sends this tab's ids to the others and to a native host (after identify, alias, setIdentity). */
  private shareIdentity(): void {
    if (!this.tellOtherTabs && !this.bridge) return;
    const state = this.dispatch({ type: 'inspect' }).result as { anonymousId: string; userId: string | null } | undefined;
    if (!state) return;
    this.tellOtherTabs?.({ kind: 'identity', anonymousId: state.anonymousId, userId: state.userId });
    this.bridge?.identityChanged(state.anonymousId, state.userId);
  }

  /** Another tab changed consent or identity: apply it here without telling the others again. */
  private onTabMessage(message: TabMessage): void {
    if (message.kind === 'consent') {
      const output = this.dispatch({ type: 'consent', categories: message.categories });
      if (output.ok) this.anonymous = String(output.result?.anonymousId ?? this.anonymous);
      return;
    }
    if (message.userId === null) this.dispatch({ type: 'reset' });  // Logged out there.
    const output = this.dispatch({ type: 'identity', anonymousId: message.anonymousId,
                                   ...(message.userId !== null ? { userId: message.userId } : {}) });
    if (output.ok) this.anonymous = message.anonymousId;
  }

  /** Another tab went: this one now delivers the shared queue, taking over what it stored. */
  private takeTheLead(): void {
    const lead = (): void => void this.dispatch({ type: 'lead', leader: true, queue: readStoredCore(this.store, this.writeKey).queue });
    if (this.initialized) lead();
    else void this.ready.then(lead, () => undefined);
  }

  /** Runs `run` now if loaded, after load otherwise (keeping call order); refuses after a failed load. */
  private call<T>(run: () => T): Promise<T | { ok: false; error: ParcoursError }> {
    const refuse = () => ({ ok: false as const, error: this.loadFailure as ParcoursError });
    if (this.loadFailure) return Promise.resolve(refuse());
    // Initialized, not merely loaded: load() awaits the tab election between the two.
    if (this.initialized) return Promise.resolve(run());
    return new Promise((resolve) => this.buffered.push(() => resolve(this.loadFailure ? refuse() : run())));
  }

  private record(payload: Payload): Promise<CallResult> {
    if (this.initialized && !this.loadFailure) return this.recordNow(payload);
    // Resolves with recordNow's promise once loaded, or with the load failure.
    return this.call(() => this.recordNow(payload)) as unknown as Promise<CallResult>;
  }

  private recordNow(payload: Payload): Promise<CallResult> {
    if (this.middleware.size === 0) return this.enqueue(payload, payload);
    const filtered = this.middleware.run(payload);
    if ('dropped' in filtered) return this.refuse(payload, failure('middleware.dropped', `${payload.type} was dropped by a middleware`));
    if ('error' in filtered) {
      return this.refuse(payload, failure('middleware.failed', `${payload.type} refused: a middleware threw: ${filtered.error.message}`));
    }
    return this.enqueue(payload, filtered.payload);
  }

  /** Serializes `sent` (`payload` after the middlewares) for the next crossing. */
  private enqueue(payload: Payload, sent: Payload): Promise<CallResult> {
    try {
      return this.batch.add(callJson(sent as Payload & Record<string, unknown>, this.now()), payload.type);
    } catch (error) {
      const path = payload.traits !== undefined ? 'traits' : 'properties';
      return this.refuse(payload, failure('event.not_serializable', (error as Error).message, path));
    }
  }

  private refuse(payload: Payload, refusal: ReturnType<typeof failure>): Promise<CallResult> {
    if (this.options.debug) this.logger.warn(`[parcours] ${payload.type} refused:`, refusal.error.message);
    return Promise.resolve(refusal);
  }

  private onCallsSettled(types: string[], results: CallResult[]): void {
    let identityChanged = false;
    for (let i = 0; i < types.length; i += 1) {
      const result = results[i];
      if (result.ok) identityChanged ||= types[i] === 'identify' || types[i] === 'alias';
      else if (this.options.debug) this.logger.warn(`[parcours] ${types[i]} refused:`, result.error.message);
    }
    if (identityChanged) this.shareIdentity();
  }

  /** Hands the core one input (JSON) now and runs its effects. */
  private handleNow(serialized: string): CoreOutput {
    const core = this.core as CoreBridge;
    // SPA navigations and late title changes alter the page context; comparing URL and title
    // per crossing is cheaper than hooks and cannot miss one.
    const key = contextKey();
    if (key !== this.contextKey) {
      this.contextKey = key;
      this.runner.apply(core.handle({ type: 'context', now: this.now(), context: collectContext(this.channel()) }));
    }
    const output = core.handleJsonOutput(serialized);
    if (this.options.debug) this.logger.debug('[parcours] input', serialized.slice(0, 200), output);
    this.runner.apply(output);
    return output;
  }

  private dispatch(input: Omit<CoreInput, 'now'>): CoreOutput {
    // Calls made before this input reach the core first: order is kept across batching.
    this.batch.flush();
    const full = { ...input, now: this.now() } as CoreInput;
    let serialized: string;
    try {
      serialized = JSON.stringify(full);
    } catch (error) {
      const path = input.traits !== undefined ? 'traits' : 'properties';
      return { ...failure('event.not_serializable', (error as Error).message, path), effects: [] } as CoreOutput;
    }
    const output = this.handleNow(serialized);
    if (input.type === 'rules') this.syncClock(output.result);
    return output;
  }
}

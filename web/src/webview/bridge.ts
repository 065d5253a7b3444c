// The page's side of the webview bridge (docs/WEBVIEW.md). The native app hands over
// identity, consent and a ruleset (before load on window.parcoursNative, after load through
// window.parcoursNative.receive), and hears back about the page: ready, identity changes,
// batches (forward mode: the app sends them, with its own offline queue), deliveries (direct
// mode) and decisions to render natively. Malformed messages are ignored with a warning.
import type { Decision, Logger, OfferAction, OfferReport, ParcoursError } from '../types.js';
import type { Channel, NativeHost } from './host.js';
import { readNativeMessage, readPreload, toNative, type NativeMessage, type PreloadHandover } from './messages.js';

/** The `webview` option: how the page works with its native host, when there is one. */
export interface WebviewOptions {
  /**
   * `direct` (default): the page sends batches itself and tells the app (`sent`).
   * `forward`: every batch goes to the app instead (`batch`), none to the network.
   */
  mode?: 'direct' | 'forward';
  /** `web` (default): offers are drawn in the page. `native`: decisions go to the app to render. */
  decisions?: 'web' | 'native';
}

/** What the bridge needs from the client. */
export interface BridgeClient {
  setIdentity(handover: { anonymousId?: string; userId?: string; traits?: Record<string, unknown> }): Promise<{ ok: boolean; error?: ParcoursError }>;
  setConsent(categories: Record<string, boolean | null>): Promise<{ ok: boolean; error?: ParcoursError }>;
  loadRules(ruleset: Record<string, unknown>): Promise<{ ok: boolean; error?: ParcoursError }>;
  report(decisionId: string, action: OfferAction): Promise<OfferReport>;
  reset(): Promise<void>;
  onDecision(handler: (decision: Decision) => void): () => void;
  /** The app went to the background: like pagehide, send and store everything now. */
  leave(): void;
  /** Back in the foreground. */
  resume(): void;
}

const GLOBAL = 'parcoursNative';

export class WebviewBridge {
  readonly mode: 'direct' | 'forward';
  readonly decisions: 'web' | 'native';
  private readonly handover: PreloadHandover;
  private client: BridgeClient | undefined;
  // While the app's own messages apply, identity changes are its own: not echoed back.
  private applying = 0;

  constructor(readonly host: NativeHost, options: WebviewOptions, private readonly logger: Logger, private readonly debug: boolean) {
    const { handover, problems } = readPreload((globalThis as Record<string, unknown>)[GLOBAL]);
    this.handover = handover;
    for (const problem of problems) this.warn(`ignored part of window.${GLOBAL}: ${problem}`);
    this.mode = handover.mode ?? options.mode ?? 'direct';
    this.decisions = handover.decisions ?? options.decisions ?? 'web';
  }

  get channel(): Channel {
    return this.host.channel;
  }

  /** Forward mode: hands a batch (the Segment batch JSON, as is) to the app. False if it could not take it. */
  forward(batch: { batchId: string; url: string; body: string; events: number }): boolean {
    const head = toNative('batch', { batchId: batch.batchId, url: batch.url, events: batch.events });
    return this.post(`${head.slice(0, -1)},"batch":${batch.body}}`);
  }

  /** Direct mode: tells the app a batch left (status 0: a network failure, to be retried). */
  sent(batchId: string, events: number, status: number): void {
    this.post(toNative('sent', { batchId, events, status }));
  }

  identityChanged(anonymousId: string, userId: string | null): void {
    if (this.applying > 0) return;
    this.post(toNative('identity', { anonymousId, userId }));
  }

  /**
   * Applies what the app handed over before load, in order identity, consent, rules, before
   * the first page view is recorded; then listens for messages and says `ready`.
   */
  async attach(client: BridgeClient, ids: () => { anonymousId: string; userId: string | null }): Promise<void> {
    this.client = client;
    if (this.decisions === 'native') client.onDecision((decision) => this.post(toNative('decision', { decision })));
    const { identity, consent, rules } = this.handover;
    if (identity) await this.apply({ type: 'identity', ...identity });
    if (consent) await this.apply({ type: 'consent', categories: consent });
    if (rules) await this.apply({ type: 'rules', ruleset: rules });
    (globalThis as Record<string, unknown>)[GLOBAL] = {
      v: 1,
      channel: this.channel,
      receive: (message: unknown) => void this.receive(message),
    };
    this.post(toNative('ready', { ...ids(), channel: this.channel, mode: this.mode, decisions: this.decisions }));
  }

  /** A message from the app (a JSON string). Never throws: a bad one is a warning. */
  async receive(raw: unknown): Promise<void> {
    const checked = readNativeMessage(raw);
    if (!checked.ok) return this.warn(`ignored a message from the app: ${checked.reason}`);
    await this.apply(checked.value);
  }

  private async apply(message: NativeMessage): Promise<void> {
    this.applying += 1;
    try {
      await this.run(message);
    } finally {
      this.applying -= 1;
    }
  }

  private async run(message: NativeMessage): Promise<void> {
    const client = this.client as BridgeClient;
    let result: { ok: boolean; error?: ParcoursError } = { ok: true };
    switch (message.type) {
      case 'identity':
        result = await client.setIdentity(message);
        break;
      case 'consent':
        result = await client.setConsent(message.categories);
        break;
      case 'rules':
        result = await client.loadRules(message.ruleset);
        break;
      case 'offer':
        result = await client.report(message.decisionId, message.action as OfferAction);
        break;
      case 'lifecycle':
        if (message.state === 'background') client.leave();
        else client.resume();
        break;
      case 'reset':
        await client.reset();
        break;
    }
    if (!result.ok) this.warn(`the app's ${message.type} message was refused: ${result.error?.message ?? 'unknown error'}`);
  }

  private post(message: string): boolean {
    try {
      this.host.post(message);
      return true;
    } catch (error) {
      this.warn(`the app's message handler threw: ${(error as Error)?.message ?? String(error)}`);
      return false;
    }
  }

  /** Debug mode only, like every refused call: the page keeps working either way. */
  private warn(message: string): void {
    if (this.debug) this.logger.warn(`[parcours] webview: ${message}`);
  }
}

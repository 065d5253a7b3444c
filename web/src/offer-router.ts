// Where the core's `show` decisions go: to the site's onDecision handlers (headless: a React
// app, a native webview host) when there are any, otherwise to the built-in renderer. Either
// way the decision carries its shown()/clicked()/dismissed() methods, so caps and offer
// events stay the core's.
import { DecisionFeed, withActions, type DecisionData } from './decisions.js';
import { OfferRenderer, whenDomReady } from './render/renderer.js';
import type { Decision, Logger, OfferAction, OfferReport, RenderOptions } from './types.js';

export interface RouterDeps {
  /** `render` option; the built-in renderer only exists in browsers. */
  render: boolean | RenderOptions | undefined;
  browser: boolean;
  report(decisionId: string, action: OfferAction): Promise<OfferReport>;
  identify(traits: Record<string, unknown>): Promise<unknown>;
  logger: Logger;
  debug: boolean;
}

export class OfferRouter {
  private readonly headless: DecisionFeed;
  private readonly renderer: OfferRenderer | null;

  constructor(private readonly deps: RouterDeps) {
    this.headless = new DecisionFeed((error) => deps.logger.error('[parcours] an onDecision handler threw:', error));
    const enabled = deps.render !== false && deps.browser;
    this.renderer = enabled
      ? new OfferRenderer({
        options: typeof deps.render === 'object' && deps.render !== null ? deps.render : {},
        identify: deps.identify,
        warn: (message) => {
          if (deps.debug) deps.logger.warn(`[parcours] ${message}`);
        },
      })
      : null;
  }

  onDecision(handler: (decision: Decision) => void): () => void {
    return this.headless.subscribe(handler);
  }

  present(data: DecisionData): void {
    const decision = withActions(data, this.deps.report);
    if (this.deps.debug) {
      this.deps.logger.debug(`[parcours] decision: ${decision.campaign.id} (${decision.variant}) at ${decision.placement}`,
        decision.explanation);
    }
    const renderer = this.renderer;
    if (!renderer) return this.headless.publish(decision);
    // Handlers registered right after createParcours are in place by then: they take over.
    whenDomReady(() => (this.headless.listening ? this.headless.publish(decision) : renderer.show(decision)));
  }
}

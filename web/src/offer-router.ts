// Where the core's `show` decisions go: to the site's onDecision handlers (headless: a React
// app, a native webview host) when there are any, otherwise to the built-in renderer. Either
// way the decision carries its shown()/clicked()/dismissed() methods, so caps and offer
// events stay the core's. The renderer is loaded only when a first offer is to be drawn:
// headless sites and pages without offers never download it.
import { DecisionFeed, withActions, type DecisionData } from './decisions.js';
import type { OfferRenderer } from './render/renderer.js';
import type { Decision, Logger, OfferAction, OfferReport, RenderOptions } from './types.js';

/** Runs `run` once the document is parsed: inline slots and `body` exist then. */
function whenDomReady(run: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

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
  private readonly rendering: boolean;
  private renderer: Promise<OfferRenderer> | undefined;

  constructor(private readonly deps: RouterDeps) {
    this.headless = new DecisionFeed((error) => deps.logger.error('[parcours] an onDecision handler threw:', error));
    this.rendering = deps.render !== false && deps.browser;
  }

  private loadRenderer(): Promise<OfferRenderer> {
    const { deps } = this;
    this.renderer ??= import('./render/renderer.js').then(({ OfferRenderer }) => new OfferRenderer({
      options: typeof deps.render === 'object' && deps.render !== null ? deps.render : {},
      identify: deps.identify,
      warn: (message) => {
        if (deps.debug) deps.logger.warn(`[parcours] ${message}`);
      },
    }));
    return this.renderer;
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
    if (!this.rendering) return this.headless.publish(decision);
    // Handlers registered right after createParcours are in place by then: they take over.
    whenDomReady(() => {
      if (this.headless.listening) return this.headless.publish(decision);
      this.loadRenderer().then((renderer) => renderer.show(decision), (error: unknown) => {
        // A chunk that cannot load (offline, a CDN hiccup): the offer goes away, the page is unharmed.
        this.renderer = undefined;
        this.deps.logger.warn('[parcours] the offer renderer could not load:', error);
        void decision.closed();
      });
    });
  }
}

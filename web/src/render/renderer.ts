// The built-in renderer: puts each decision where its placement says, one offer per
// placement, waiting for inline placements' slot element to exist. Loaded on demand (its own
// chunk of the ESM build) once the page is parsed and the first offer is to be drawn. What an
// offer looks like and does is surface.ts and content.ts.
import type { Decision, RenderOptions } from '../types.js';
import { DEFAULT_LABELS } from './content.js';
import { openSurface, parsePlacement, type Placement, type Surface } from './surface.js';

/** How long an inline offer waits for its slot to appear (an SPA still rendering). */
const SLOT_WAIT_MS = 10000;

export interface RendererDeps {
  options: RenderOptions;
  identify(traits: Record<string, unknown>): Promise<unknown>;
  /** A problem worth a debug-mode warning (an unknown placement, a missing slot). */
  warn(message: string): void;
}

function slotSelector(slot: string): string {
  return `[data-parcours-slot="${typeof CSS !== 'undefined' && CSS.escape ? CSS.escape(slot) : slot.replace(/["\\]/g, '\\$&')}"]`;
}

/** Calls `found` with the slot element now or once it is added, or with null after a while. */
function findSlot(slot: string, found: (element: HTMLElement | null) => void): void {
  const selector = slotSelector(slot);
  const now = document.querySelector<HTMLElement>(selector);
  if (now) return found(now);
  const observer = new MutationObserver(() => {
    const element = document.querySelector<HTMLElement>(selector);
    if (!element) return;
    observer.disconnect();
    clearTimeout(timer);
    found(element);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  const timer = setTimeout(() => {
    observer.disconnect();
    found(null);
  }, SLOT_WAIT_MS);
}

export class OfferRenderer {
  private readonly open = new Map<string, Surface>();

  constructor(private readonly deps: RendererDeps) {}

  /** Draws `decision`; call it once the document is parsed. */
  show(decision: Decision): void {
    const placement = parsePlacement(decision.placement);
    if (!placement) {
      this.deps.warn(`no built-in renderer for placement "${decision.placement}" (modal, slide-in, banner, banner:bottom, ` +
        `inline:<slot>); render it yourself with onDecision()`);
      void decision.closed();
      return;
    }
    if (placement.kind !== 'inline') return this.place(decision, placement, null);
    findSlot(placement.slot, (slot) => {
      if (slot) return this.place(decision, placement, slot);
      this.deps.warn(`no element with data-parcours-slot="${placement.slot}" on this page: offer ${decision.campaign.id} not shown`);
      void decision.closed();
    });
  }

  private place(decision: Decision, placement: Placement, slot: HTMLElement | null): void {
    this.open.get(decision.placement)?.close();
    const { options } = this.deps;
    const surface = openSurface(decision, placement, slot, {
      labels: { ...DEFAULT_LABELS, ...options.labels },
      theme: options.theme ?? {},
      identify: this.deps.identify,
      gone: () => {
        if (this.open.get(decision.placement) === surface) this.open.delete(decision.placement);
      },
    });
    this.open.set(decision.placement, surface);
  }
}

// One offer on the page: its host element and shadow root, its frame for the placement
// (modal dialog, slide-in, banner, inline slot), closing (button, Escape, backdrop), focus
// (moved into a modal and trapped there, given back after), and telling the core once it is
// actually visible. The card's content is content.ts.
import type { Decision, RenderLabels, Theme } from '../types.js';
import { cardContent } from './content.js';
import { deepActiveElement, focusables, restoreFocus, trapTab } from './focus.js';
import { h } from './safe-dom.js';
import { OFFER_CSS } from './styles.js';

/** Where an offer goes, from the ruleset's `placement`. */
export type Placement =
  | { kind: 'modal' }
  | { kind: 'slide-in' }
  | { kind: 'banner'; edge: 'top' | 'bottom' }
  | { kind: 'inline'; slot: string };

/** `modal`, `slide-in`, `banner` (= `banner:top`), `banner:bottom`, `inline:<slot>`; null for others. */
export function parsePlacement(name: string): Placement | null {
  if (name === 'modal' || name === 'slide-in') return { kind: name };
  if (name === 'banner' || name === 'banner:top') return { kind: 'banner', edge: 'top' };
  if (name === 'banner:bottom') return { kind: 'banner', edge: 'bottom' };
  if (name.startsWith('inline:') && name.length > 'inline:'.length) return { kind: 'inline', slot: name.slice('inline:'.length) };
  return null;
}

export interface SurfaceOptions {
  labels: Required<RenderLabels>;
  theme: Theme;
  identify(traits: Record<string, unknown>): Promise<unknown>;
  /** Called once the offer has left the page, whatever the reason. */
  gone(): void;
}

/** An offer on the page. */
export interface Surface {
  readonly host: HTMLElement;
  /** Takes the offer away without the visitor's say (replaced, navigated). */
  close(): void;
}

const THEME_PROPERTIES: Record<keyof Theme, string> = {
  accent: '--parcours-accent', accentText: '--parcours-accent-text', background: '--parcours-background',
  text: '--parcours-text', muted: '--parcours-muted', radius: '--parcours-radius', font: '--parcours-font',
  zIndex: '--parcours-z',
};

let surfaces = 0;

/** A host the site's CSS cannot hide or restyle: inline `!important` beats any stylesheet rule. */
function createHost(theme: Theme, reserved: boolean): HTMLElement {
  const host = document.createElement('parcours-offer');
  host.style.setProperty('all', 'initial', 'important');
  host.style.setProperty('display', 'block', 'important');
  if (reserved) host.style.setProperty('height', '100%', 'important');
  for (const [name, property] of Object.entries(THEME_PROPERTIES)) {
    const value = theme[name as keyof Theme];
    if (typeof value === 'string' && value !== '') host.style.setProperty(property, value);
  }
  return host;
}

/** Reports the offer shown once it is on screen: half of it in view, with the tab visible. */
function whenVisible(target: HTMLElement, overlay: boolean, shown: () => void): () => void {
  let done = false;
  let inView = overlay;
  const check = (): void => {
    if (done || !inView || document.visibilityState !== 'visible' || !target.isConnected) return;
    done = true;
    shown();
  };
  const observer = !overlay && typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      inView = entries.some((entry) => entry.isIntersecting);
      check();
    }, { threshold: 0.5 })
    : undefined;
  if (observer) observer.observe(target);
  else inView = true;
  document.addEventListener('visibilitychange', check);
  // Two frames: the offer has been laid out and painted.
  requestAnimationFrame(() => requestAnimationFrame(check));
  return () => {
    done = true;
    observer?.disconnect();
    document.removeEventListener('visibilitychange', check);
  };
}

/** Shows `decision` at `placement`, inside `slot` for inline placements. */
export function openSurface(decision: Decision, placement: Placement, slot: HTMLElement | null, options: SurfaceOptions): Surface {
  surfaces += 1;
  const idPrefix = `parcours-${surfaces}`;
  const modal = placement.kind === 'modal';
  const reserved = placement.kind === 'inline' && slot?.hasAttribute('data-parcours-reserve') === true;
  const host = createHost(options.theme, reserved);
  // Which offer this is, for the site's scripts and tests (not for styling: the inside is sealed).
  host.setAttribute('data-parcours-placement', decision.placement);
  host.setAttribute('data-parcours-campaign', decision.campaign.id);
  const shadow = host.attachShadow({ mode: 'open' });
  let converted = false;
  let finished = false;
  let returnFocusTo: HTMLElement | null = modal ? deepActiveElement() : null;
  const cleanups: Array<() => void> = [];

  const finish = (action: 'dismissed' | 'closed'): void => {
    if (finished) return;
    finished = true;
    const hadFocus = document.activeElement === host;
    for (const cleanup of cleanups) cleanup();
    host.remove();
    // After a conversion, closing is not a "no": the cooldown of a dismissal would not apply.
    void (action === 'dismissed' && !converted ? decision.dismissed() : decision.closed());
    if (modal || hadFocus) restoreFocus(returnFocusTo);
    options.gone();
  };
  const actions = {
    clicked: () => void decision.clicked(),
    converted: () => {
      converted = true;
      void decision.converted();
    },
    dismiss: () => finish('dismissed'),
    close: () => finish('closed'),
    identify: options.identify,
  };

  const titled = typeof decision.content.title === 'string' && decision.content.title !== '';
  const close = h('button', { class: 'close', type: 'button', 'aria-label': options.labels.close }, '\u00d7');
  close.addEventListener('click', () => finish('dismissed'));
  const card = h('div', {
    class: 'card',
    role: modal ? 'dialog' : 'region',
    'aria-modal': modal ? 'true' : undefined,
    'aria-labelledby': titled ? `${idPrefix}-title` : undefined,
    'aria-label': titled ? undefined : decision.campaign.name || decision.campaign.id,
    tabindex: '-1',
  }, ...cardContent(decision, options.labels, actions, idPrefix), close);

  let frame: HTMLElement;
  if (modal) {
    frame = h('div', { class: 'root modal backdrop' }, card);
    frame.style.zIndex = 'var(--parcours-z, 2147483000)';
    // A click on the dimmed page around the dialog is a "no thanks".
    frame.addEventListener('click', (event) => {
      if (event.target === frame) finish('dismissed');
    });
  } else if (placement.kind === 'slide-in') {
    frame = h('div', { class: 'root slide-in' }, card);
    frame.style.zIndex = 'var(--parcours-z, 2147483000)';
  } else if (placement.kind === 'banner') {
    frame = h('div', { class: `root banner ${placement.edge}` }, card);
    frame.style.zIndex = 'var(--parcours-z, 2147483000)';
  } else {
    frame = h('div', { class: `root inline${reserved ? ' reserved' : ''}` }, card);
  }
  shadow.append(h('style', {}, OFFER_CSS), frame);

  // Escape closes a modal from anywhere, and the other placements while focus is in them.
  const onKey = (event: KeyboardEvent): void => {
    const inside = document.activeElement === host;
    if (event.key === 'Escape' && (modal || inside)) {
      if (!modal) event.stopPropagation();
      finish('dismissed');
    } else if (event.key === 'Tab' && modal) {
      trapTab(event, card, inside ? shadow.activeElement : null);
    }
  };
  document.addEventListener('keydown', onKey, true);
  cleanups.push(() => document.removeEventListener('keydown', onKey, true));
  if (modal) {
    // Focus that escapes the dialog anyway (a click on the page behind) is brought back.
    const keepFocus = (event: FocusEvent): void => {
      if (event.target !== host) (focusables(card)[0] ?? card).focus();
    };
    document.addEventListener('focusin', keepFocus);
    cleanups.push(() => document.removeEventListener('focusin', keepFocus));
    const root = document.documentElement;
    const overflow = root.style.overflow;
    root.style.overflow = 'hidden';
    cleanups.push(() => {
      root.style.overflow = overflow;
    });
  } else {
    // Where focus came from when the visitor tabbed into the offer: it goes back there.
    const entered = (event: FocusEvent): void => {
      const from = event.relatedTarget as HTMLElement | null;
      if (from && !host.contains(from) && from !== host) returnFocusTo = from;
    };
    host.addEventListener('focusin', entered);
  }

  if (placement.kind === 'inline' && slot) slot.append(host);
  else document.body.append(host);
  cleanups.push(whenVisible(card, placement.kind !== 'inline', () => void decision.shown()));

  if (modal) {
    const first = focusables(card).find((element) => element !== close);
    (first ?? card).focus({ preventScroll: true });
  }
  return { host, close: () => finish('closed') };
}

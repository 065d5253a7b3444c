// Keyboard focus around offers: where it was before (to give it back), what can take it
// inside an offer, and keeping Tab inside a modal dialog.

/** The focused element, looking through open shadow roots (a site's web components). */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement as HTMLElement | null;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement as HTMLElement;
  return active && active !== document.body ? active : null;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Elements of `container` that Tab reaches, in order. */
export function focusables(container: ParentNode): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((element) => element.getClientRects().length > 0);
}

/** Gives focus back to `element` if it is still on the page; never scrolls for it. */
export function restoreFocus(element: HTMLElement | null): void {
  if (element?.isConnected) element.focus({ preventScroll: true });
}

/**
 * Keeps Tab and Shift+Tab cycling inside `container` (a modal dialog). `active` is the focused
 * element inside the shadow root, or null when focus is outside the dialog.
 */
export function trapTab(event: KeyboardEvent, container: ParentNode, active: Element | null): void {
  const items = focusables(container);
  if (items.length === 0) {
    event.preventDefault();
    return;
  }
  const first = items[0];
  const last = items[items.length - 1];
  const index = active ? items.indexOf(active as HTMLElement) : -1;
  if (event.shiftKey && (index <= 0)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (index === -1 || index === items.length - 1)) {
    event.preventDefault();
    first.focus();
  }
}

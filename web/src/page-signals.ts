// Page signals only the browser can see, for the core's exitIntent and scrollDepth triggers:
// the pointer leaving towards the tab bar (desktop), a fast scroll back up (touch screens,
// where there is no pointer to leave), and how deep the visitor has scrolled.

/** Scrolling up this fast (px per ms) over at least a third of the screen reads as leaving. */
const FLING_SPEED = 1.2;
const FLING_SHARE = 1 / 3;
/** Only after this much reading: the first scroll back to the top of a short visit is not intent. */
const FLING_AFTER_PX = 400;

/**
 * Reports exit intent and scroll depth (each time the deepest point passes another 10%),
 * once per page view each; the core decides whether any campaign cares. Returns a function
 * that starts a new page view (an SPA route change): both may report again.
 */
export function watchSignals(signal: (name: 'exitIntent' | 'scrollDepth', value?: number) => void): () => void {
  let exited = false;
  const exitIntent = (): void => {
    if (exited) return;
    exited = true;
    signal('exitIntent');
  };
  document.addEventListener('mouseout', (event: MouseEvent) => {
    if (event.relatedTarget === null && event.clientY <= 0) exitIntent();
  });

  let reported = 0;
  let deepest = 0;
  let scheduled = false;
  // Where the current upward run of scrolling started, and when.
  let runFrom = { y: scrollY, at: 0 };
  let last = { y: scrollY, at: 0 };
  const measure = (): void => {
    scheduled = false;
    const root = document.documentElement;
    const scrollable = Math.max(root.scrollHeight, document.body?.scrollHeight ?? 0);
    if (scrollable <= 0) return;
    deepest = Math.max(deepest, scrollY);
    const percent = Math.min(100, Math.round(((scrollY + innerHeight) / scrollable) * 100));
    if (percent >= reported + 10 || (percent === 100 && reported < 100)) {
      reported = percent;
      signal('scrollDepth', percent);
    }
  };
  const touchScreen = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  const fling = (): void => {
    const now = performance.now();
    const y = scrollY;
    if (y >= last.y) runFrom = { y, at: now };  // Going down or still: no upward run.
    last = { y, at: now };
    const climbed = runFrom.y - y;
    const elapsed = Math.max(1, now - runFrom.at);
    if (deepest >= FLING_AFTER_PX && climbed >= innerHeight * FLING_SHARE && climbed / elapsed >= FLING_SPEED) exitIntent();
  };
  addEventListener('scroll', () => {
    if (touchScreen) fling();
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(measure);
  }, { passive: true });
  return () => {
    exited = false;
    reported = 0;
    deepest = 0;
  };
}

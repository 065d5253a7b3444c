// Tells single-page apps' route changes apart from everything else that touches history, so
// the client can record one page view per route: pushState / replaceState calls and
// back/forward (popstate) that change the path or query, not the hash alone.

// Where the one shared wrapper keeps its listeners, on the history object itself. A
// registered symbol, so two copies of parcours on one page share it instead of stacking.
const LISTENERS = Symbol.for('parcours.routeWatcher.listeners');

type HistoryMethod = (this: History, ...args: Parameters<History['pushState']>) => unknown;
type WatchedHistory = History & { [LISTENERS]?: Set<() => void> };

/** The route part of the current location; a change of anything else is not a new page. */
function routeOf(location: Location): string {
  return `${location.pathname}${location.search}`;
}

/** Rethrows `error` outside the caller, so a failing listener never breaks navigation. */
function reportLater(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else setTimeout(() => {
    throw error;
  }, 0);
}

/**
 * Installs, once per history object, wrappers around `pushState` and `replaceState` that call
 * the method they replace first (with the same `this` and arguments, returning its result,
 * letting its exceptions through) and then every listener. Wrappers installed by other
 * libraries before or after stay in the chain. Returns the listener set.
 */
function sharedListeners(history: WatchedHistory): Set<() => void> {
  const existing = history[LISTENERS];
  if (existing) return existing;
  const listeners = new Set<() => void>();
  const wrap = (name: 'pushState' | 'replaceState'): void => {
    const original = history[name] as HistoryMethod;
    if (typeof original !== 'function') return;
    const wrapper: HistoryMethod = function (this: History, ...args) {
      const result = original.apply(this, args);
      for (const listener of [...listeners]) listener();
      return result;
    };
    history[name] = wrapper as History['pushState'];
  };
  try {
    wrap('pushState');
    wrap('replaceState');
    Object.defineProperty(history, LISTENERS, { value: listeners });
  } catch {
    // A locked-down history object: popstate alone will have to do.
  }
  return listeners;
}

/**
 * Calls `onChange(location.href)` after each route change: a `history.pushState` or
 * `replaceState` call, or a back/forward navigation (`popstate`), after which
 * `location.pathname + location.search` differs from what it was at the previous
 * notification (or when watching began). Changes of the hash alone and replaceState to the
 * same URL are not route changes.
 *
 * Each watcher keeps its own last route, so two watchers are each notified once per change.
 * The history wrappers are installed once per page and shared; they cooperate with other
 * libraries (routers, analytics tools) that wrap the same methods before or after them.
 * An exception thrown by `onChange` is reported asynchronously and never reaches the
 * page's own pushState call.
 *
 * Outside a browser (no `history`, `location` or `addEventListener`, as in Node) this does
 * nothing.
 *
 * @returns a function that stops the notifications and removes the popstate listener. The
 *   shared wrappers stay installed, inert for this watcher, since removing them could undo
 *   a wrapper another library installed after them.
 */
export function watchRoutes(onChange: (url: string) => void): () => void {
  const scope = globalThis as Partial<typeof globalThis>;
  const { history, location, addEventListener, removeEventListener } = scope;
  if (!history || !location || typeof addEventListener !== 'function' || typeof removeEventListener !== 'function') {
    return () => undefined;
  }

  let watching = true;
  let lastRoute = routeOf(location);
  const check = (): void => {
    if (!watching) return;
    const route = routeOf(location);
    if (route === lastRoute) return;
    // Updated before notifying, so a redirect made inside onChange is seen as its own change.
    lastRoute = route;
    try {
      onChange(location.href);
    } catch (error) {
      reportLater(error);
    }
  };

  const listeners = sharedListeners(history as WatchedHistory);
  listeners.add(check);
  addEventListener.call(globalThis, 'popstate', check);
  return () => {
    if (!watching) return;
    watching = false;
    listeners.delete(check);
    removeEventListener.call(globalThis, 'popstate', check);
  };
}

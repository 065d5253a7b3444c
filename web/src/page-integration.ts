// Ties a client to the page it runs in: leaving or hiding the page, connectivity, SPA route
// changes (auto page views), and sharing the stored queue with the site's other tabs. Not
// used outside browsers (Node, tests of the core).
import { watchSignals } from './page-signals.js';
import type { EffectRunner } from './effect-runner.js';
import { watchRoutes } from './route-watcher.js';
import { namespacedKey, type KeyValueStore } from './storage.js';
import { watchOtherTabs } from './tab-coordination.js';

export interface PageHooks {
  /** Hands a raw input to the core. */
  dispatch(input: { type: string } & Record<string, unknown>): void;
  /** Records an automatic page view. */
  pageView(): void;
  runner: EffectRunner;
  store: KeyValueStore;
  writeKey: string;
  now(): number;
}

export function inBrowser(): boolean {
  return typeof addEventListener === 'function' && typeof document !== 'undefined';
}

export function attachToPage(hooks: PageHooks, options: { autoPage: boolean; sharedStorage: boolean }): void {
  // Leaving (or hiding: mobile browsers may kill a hidden page without pagehide): send
  // everything pending now, with keepalive or a beacon. Anything unconfirmed stays stored and
  // is retried by the next page load (at-least-once, deduped by messageId).
  const leave = (): void => hooks.dispatch({ type: 'unload' });
  addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
    else hooks.runner.reportBeacons();
  });
  addEventListener('pageshow', () => hooks.runner.reportBeacons());

  // Offline, sending would only burn attempts; "online" sends what waited at once.
  const network = (): void => hooks.dispatch({ type: 'network', online: navigator.onLine !== false });
  addEventListener('online', network);
  addEventListener('offline', network);
  if (navigator.onLine === false) network();

  const newPageView = watchSignals((name, value) =>
    hooks.dispatch({ type: 'signal', name, ...(value === undefined ? {} : { value }) }));
  // A route change is a new page view for exit intent and scroll depth too (the core resets
  // its once-per-page-view campaigns on the page event).
  watchRoutes(() => {
    newPageView();
    if (options.autoPage) hooks.pageView();
  });
  // The leader adopts what other tabs store; followers forget what the leader confirmed.
  // Caps shown in another tab hold here too.
  if (options.sharedStorage) {
    watchOtherTabs(
      namespacedKey(hooks.writeKey, ''),
      (key, value) => {
        if (key.startsWith('q:')) hooks.dispatch({ type: 'adopt', queue: { [key]: value } });
        else if (key === 'caps') hooks.dispatch({ type: 'stored', key, value });
      },
      (key) => {
        if (key.startsWith('q:')) hooks.dispatch({ type: 'forget', keys: [key] });
      },
    );
  }
}

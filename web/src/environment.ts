// Collects the context the core stamps on events: channel, page, user agent, locale, time
// zone and screen. Everything is optional, so the same code runs in a browser, a webview and Node.
import { parseCampaign } from './campaign.js';

export type Context = Record<string, unknown>;

/** `channel`: `web`, or the native app hosting the page (`ios-webview`…); none outside browsers. */
export function collectContext(channel?: string): Context {
  const context: Context = {};
  if (channel) context.channel = channel;
  if (typeof location !== 'undefined' && typeof document !== 'undefined') {
    context.page = {
      url: location.href,
      path: location.pathname,
      search: location.search,
      title: document.title,
      referrer: document.referrer,
    };
    // The core keeps the landing page's campaign with the session; a new one starts a session.
    const campaign = parseCampaign(location.search);
    if (campaign) context.campaign = campaign;
  }
  if (typeof navigator !== 'undefined') {
    if (navigator.userAgent) context.userAgent = navigator.userAgent;
    if (navigator.language) context.locale = navigator.language;
  }
  const timezone = timeZone();
  if (timezone) context.timezone = timezone;
  if (typeof screen !== 'undefined') {
    context.screen = {
      width: screen.width,
      height: screen.height,
      density: typeof devicePixelRatio === 'number' ? devicePixelRatio : 1,
    };
  }
  return context;
}

type TemporalNow = { Now?: { timeZoneId?: () => string } };

/**
 * The visitor's IANA time zone. Temporal reads the engine's zone alone; a first
 * Intl.DateTimeFormat builds a whole formatter with the locale's patterns (15-40 ms in
 * Chromium, the largest part of startup), so it is only the fallback where Temporal is missing.
 */
function timeZone(): string | undefined {
  try {
    const id = (globalThis as { Temporal?: TemporalNow }).Temporal?.Now?.timeZoneId?.();
    if (typeof id === 'string' && id !== '') return id;
  } catch {
    // Fall through to Intl.
  }
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;  // Intl without time zone data: leave it out.
  }
}

/** What the page context depends on that can change after load (SPA route, title). */
export function contextKey(): string {
  if (typeof location === 'undefined' || typeof document === 'undefined') return '';
  return `${location.href}\n${document.title}`;
}

export function randomSeed(): number[] {
  const seed = new Uint32Array(4);
  globalThis.crypto.getRandomValues(seed);
  return Array.from(seed);
}

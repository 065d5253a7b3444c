// Public types of the parcours package: options, call results and the client interface.
import type { ErrorCode } from './generated/error-codes.js';
import type { Ecommerce } from './ecommerce.js';
import type { Middleware } from './middleware.js';
import type { KeyValueStore } from './storage.js';

export type { ErrorCode } from './generated/error-codes.js';
export type { KeyValueStore } from './storage.js';
export type { Middleware, Payload } from './middleware.js';
export type { Campaign } from './campaign.js';
export type { WebviewOptions } from './webview/bridge.js';
import type { WebviewOptions } from './webview/bridge.js';
export type * from './ecommerce.js';

/**
 * Consent per category: `true` granted, `false` denied, `null` not decided yet. The usual
 * categories are `necessary` (always granted), `analytics`, `marketing` and `personalization`;
 * a site may add its own.
 */
export type ConsentCategories = Record<string, boolean | null>;

/** The answer to `consent.set()`: the preferences now in force, or why the update was refused. */
export type ConsentResult =
  | { ok: true; categoryPreferences: Record<string, boolean | null> }
  | { ok: false; error: ParcoursError };

/** The consent API; plug a CMP's callback into `set` (see docs/TRACKING.md). */
export interface ConsentApi {
  /**
   * Updates some categories; the others keep their state. Withdrawing `analytics` erases the
   * unsent queue and the stored identity; granting it stores and sends what waited in memory.
   */
  set(categories: ConsentCategories): Promise<ConsentResult>;
  /** The preferences in force, as stamped on events (`context.consent.categoryPreferences`). */
  get(): Promise<Record<string, boolean | null>>;
}

/** A JSON-serializable value, as event properties must be. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Event properties: any JSON object. `undefined` members are left out, Dates become ISO strings. */
export type Properties = Record<string, unknown>;

/** Where parcours writes diagnostics; defaults to `console`. */
export interface Logger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Options of {@link createParcours}. Only `writeKey` is required. */
export interface ParcoursOptions {
  /** The source's write key; sent as the HTTP Basic user (and in the body, for sendBeacon). */
  writeKey: string;
  /** Collector origin such as `https://collect.example.com`. Default: the page's own origin. */
  host?: string;
  /** Send a batch once this many events wait (1–1000). Default 100. */
  maxBatchEvents?: number;
  /**
   * Largest batch body in bytes before compression (4096–512000). Default 65536 (what a
   * keepalive request may carry), or 460800 with `gzip`, whose bodies shrink about 20×.
   * Unload sends are always cut to 64 KB.
   */
  maxBatchBytes?: number;
  /** Largest single event in bytes; larger calls are refused with `event.too_large`. Default 32768. */
  maxEventBytes?: number;
  /** Send waiting events after this many milliseconds even if the batch is not full. Default 5000. */
  flushIntervalMs?: number;
  /** Most events kept unsent; past it the oldest are dropped and counted. Default 1000. */
  maxQueueEvents?: number;
  /** Delivery attempts per event before it is dropped and counted. Default 10. */
  maxAttempts?: number;
  /** First retry delay in ms; doubles per failure, with jitter. Default 1000. */
  retryBaseMs?: number;
  /** Longest retry delay in ms. Default 300000. */
  retryMaxMs?: number;
  /**
   * The site's consent defaults, e.g. `{ analytics: null, marketing: false }` until the CMP
   * answers. Without `analytics: true` nothing is stored (memory only) and nothing is sent;
   * with `analytics: false` calls are refused. Omitted: everything granted (no consent
   * management). Update it with `consent.set()`.
   */
  consent?: ConsentCategories;
  /** Start a new session after this much inactivity (ms). Default 1800000 (30 min). */
  sessionTimeoutMs?: number;
  /** Record a page view on load and on SPA route changes (pushState, replaceState, popstate). Default true. */
  autoPage?: boolean;
  /** Drop (and count) events not delivered within this many ms. Default 7 days. */
  maxEventAgeMs?: number;
  /**
   * gzip batch bodies with CompressionStream (`Content-Encoding: gzip`) — roughly 8× fewer
   * bytes on the wire. Only for collectors that accept it (the demo collector, RudderStack,
   * Segment). Unload sends stay uncompressed so they leave synchronously. Default false.
   */
  gzip?: boolean;
  /** Abort a delivery request after this many ms and retry it. Default 30000. */
  requestTimeoutMs?: number;
  /**
   * Log every input, effect and refused call to the logger, and make every decision explain
   * each campaign it considered (why it was shown, capped or not matched). Default false.
   */
  debug?: boolean;
  /**
   * A ruleset to decide with from the first call, before (or without) any network: the
   * format of docs/RULES.md. A ruleset fetched later, or cached from an earlier visit, wins.
   */
  rules?: Record<string, unknown>;
  /** Where to GET the ruleset (ETag-revalidated). Default `{host}/v1/decisions`; false never fetches. */
  rulesUrl?: string | false;
  /** Revalidate the ruleset this often (ms), and at every new session. Default 300000 (5 min). */
  rulesRefreshMs?: number;
  /**
   * Draw offers with the built-in renderer (pop-ups, slide-ins, banners, inline slots, in
   * shadow roots): `true` (default in browsers), an object to theme it, or `false` for
   * headless use through {@link Parcours.onDecision}.
   */
  render?: boolean | RenderOptions;
  /**
   * Inside a native app's webview (iOS WKWebView, Android WebView, React Native WebView,
   * detected by themselves): `mode: 'forward'` hands every batch to the app instead of the
   * network, `decisions: 'native'` hands decisions to the app to render. The app can override
   * both on `window.parcoursNative`. `false` ignores the host. See docs/WEBVIEW.md.
   */
  webview?: WebviewOptions | false;
  /** Where state is kept: `localStorage` by default in browsers, memory elsewhere or when disabled. */
  storage?: KeyValueStore | 'memory';
  /** URL of parcours.wasm. Default: next to the script or module that loaded parcours. */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves, for hosts that cannot fetch them (tests, some webviews). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Replaces the global fetch (tests, custom transports). */
  fetch?: typeof fetch;
  /** Replaces `console`. */
  logger?: Logger;
}

/** A refused call or a failure, with a stable id. */
export interface ParcoursError {
  /** Stable id such as `event.invalid_name`; see ERROR_CODES. */
  code: ErrorCode;
  /** Human explanation, prefixed with `[parcours.<code>]`. */
  message: string;
  /** The offending field, e.g. `properties`, when the error is about one. */
  path?: string;
}

/** The answer to a tracking call. Calls never throw and never reject. */
export type CallResult = { ok: true; messageId: string } | { ok: false; error: ParcoursError };

/** What {@link Parcours.flush} found once the queue settled. */
export interface FlushResult {
  /** True when every event has been confirmed by the collector and none was dropped meanwhile. */
  delivered: boolean;
  /** Events still waiting (for a retry after a failure, for instance). */
  pending: number;
  /** Events dropped while the flush ran (refused by the collector, out of attempts, queue full). */
  dropped: number;
}

/** Delivery counters since the state was first stored on this device. */
export interface DeliveryStats {
  delivered: number;
  retries: number;
  dropped: { rejected: number; maxAttempts: number; queueFull: number; expired: number; consent: number };
}

/** What the core holds about the visitor now (debug mode, tests, and the rules engine's view). */
export interface InspectResult {
  anonymousId: string;
  userId: string | null;
  traits: Record<string, unknown>;
  /** `{ id, count, startedAt, isNew, campaign? }`, null before the first event. */
  session: { id: string; count: number; startedAt: number; isNew: boolean; campaign?: Record<string, string> } | null;
  /** The cart derived from e-commerce events. */
  cart: {
    id: string | null;
    items: Array<Record<string, unknown> & { quantity: number }>;
    itemCount: number;
    quantity: number;
    value: number;
    currency: string | null;
    lastChangeAt: number | null;
    lastOrderAt: number | null;
    lastOrder: { order_id: string | null; total: number | null } | null;
  };
  consent: Record<string, boolean | null>;
  /** The ruleset deciding now, null when none has loaded. */
  rules: { revision: string; campaigns: number; source: 'inline' | 'cache' | 'network' | 'page'; etag: string | null;
           fetchedAt: number | null } | null;
  /** Bytes of WASM linear memory the core holds (it grows in 64 KB pages, never shrinks). */
  wasmMemoryBytes: number;
}

/** What happened to an offer, as the renderer reports it. `closed`: it went away without the visitor's say. */
export type OfferAction = 'shown' | 'clicked' | 'dismissed' | 'converted' | 'closed';

/** What the visitor can be shown: an offer, an email-capture form, or a push-notification opt-in. */
export type OfferKind = 'offer' | 'emailCapture' | 'pushOptIn';

/** A product card of an offer (cross-sell, the cart's items, out-of-stock alternatives). */
export interface OfferProduct {
  product_id?: string; sku?: string; name?: string; price?: number; url?: string; image_url?: string;
  currency?: string; quantity?: number; brand?: string; category?: string; variant?: string;
}

/** An offer the core decided to show, with plain-text content for the renderer to escape and display. */
export interface Decision {
  /** Pass it back to {@link DecisionsApi.report}, or call the methods below. */
  id: string;
  campaign: { id: string; name: string };
  /** The variant the visitor was bucketed into. */
  variant: string;
  /**
   * Where it goes, as the ruleset names it: `modal`, `slide-in`, `banner` (top), `banner:bottom`,
   * or `inline:<slot>` for the element marked `data-parcours-slot="<slot>"`.
   */
  placement: string;
  priority: number;
  /** Plain-text fields, every one optional except `kind`; never HTML. */
  content: {
    kind: OfferKind;
    title?: string; body?: string; image?: string; imageAlt?: string; cta?: string; ctaUrl?: string;
    coupon?: string; dismiss?: string;
    /** Email capture: the input's placeholder, the consent checkbox's label, the thank-you text. */
    placeholder?: string; consent?: string; success?: string;
    products?: OfferProduct[];
  };
  /** Why: the trigger, the campaign's bucket, and what else was considered (every campaign in debug mode). */
  explanation: Record<string, unknown>;
  /** When it was decided (ms since the epoch). */
  at: number;
  /** The offer is visible now: tracks `Offer Shown` (once per decision). */
  shown(): Promise<OfferReport>;
  /** The visitor clicked its call to action, a product or the coupon: tracks `Offer Clicked` (once). */
  clicked(): Promise<OfferReport>;
  /** The visitor closed it: tracks `Offer Dismissed`, frees the placement and starts the campaign's cooldown. */
  dismissed(): Promise<OfferReport>;
  /** The visitor did what it asked (applied the coupon, left an email): tracks `Offer Converted`. */
  converted(): Promise<OfferReport>;
  /** It went away without the visitor's say (navigation, replaced): frees the placement, tracks nothing. */
  closed(): Promise<OfferReport>;
}

/** The answer to reporting what happened to an offer. */
export type OfferReport = CallResult | { ok: true };

/**
 * How the built-in renderer looks: CSS values set as custom properties on each offer
 * (`accent` becomes `--parcours-accent`). A site can set the same properties in its own CSS.
 */
export interface Theme {
  /** Buttons and links. Default `#1a56db`. */
  accent?: string;
  /** Text on the accent colour. Default `#ffffff`. */
  accentText?: string;
  /** The card's background. Default `#ffffff`. */
  background?: string;
  /** Body text. Default `#1d1d1f`. */
  text?: string;
  /** Secondary text and borders. Default `#5f6368`. */
  muted?: string;
  /** Corner radius of cards and buttons. Default `12px`. */
  radius?: string;
  /** Font stack. Default the system UI font. */
  font?: string;
  /** Stacking order of pop-ups, slide-ins and banners. Default `2147483000`. */
  zIndex?: string;
}

/** Texts of the built-in renderer that do not come from the ruleset (for sites in other languages). */
export interface RenderLabels {
  /** The close button's accessible name. Default `Close`. */
  close?: string;
  /** The coupon's copy button. Default `Copy code`. */
  copy?: string;
  /** Said once the coupon is copied. Default `Copied`. */
  copied?: string;
  /** The email field's accessible name. Default `Email address`. */
  email?: string;
  /** The email-capture submit button when the ruleset has no `cta`. Default `Get my code`. */
  submit?: string;
  /** The consent checkbox's label when the ruleset has no `consent`. Default `I agree to receive emails.` */
  consent?: string;
  /** Shown when the address is not valid. Default `Please enter a valid email address.` */
  invalidEmail?: string;
  /** Shown when the consent box is not ticked. Default `Please tick the box to continue.` */
  consentRequired?: string;
  /** The push prompt's yes button when the ruleset has no `cta`. Default `Yes, notify me`. */
  pushYes?: string;
  /** The push prompt's no button when the ruleset has no `dismiss`. Default `Not now`. */
  pushNo?: string;
}

/** Options of the built-in renderer. */
export interface RenderOptions {
  theme?: Theme;
  labels?: RenderLabels;
}

/** The answer to loading a ruleset. */
export type RulesResult =
  | { ok: true; revision: string; campaigns: number }
  | { ok: false; error: ParcoursError };

/** On-device decisions: campaign rules evaluated in the core on every event, timer and page signal. */
export interface DecisionsApi {
  /**
   * Reports what happened to an offer by its id (for hosts that only kept the id, such as a
   * native app): the same as calling the decision's own methods.
   */
  report(decisionId: string, action: OfferAction): Promise<OfferReport>;
  /** Replaces the ruleset now (the previous one stays if this one is refused). */
  load(ruleset: Record<string, unknown>): Promise<RulesResult>;
  /** Hands the core a page signal; exit intent and scroll depth are detected by themselves in browsers. */
  signal(name: 'exitIntent' | 'scrollDepth', value?: number): Promise<{ ok: true } | { ok: false; error: ParcoursError }>;
}

/** A parcours client, from {@link createParcours}. Calls made before `ready` are queued in order. */
export interface Parcours {
  /** Resolves once the WASM core is loaded and state restored; rejects with a ParcoursError if it cannot load. */
  readonly ready: Promise<void>;
  /** Records an action, e.g. `track('Product Added', { product_id: 'sku-1', price: 19.9 })`. */
  track(event: string, properties?: Properties): Promise<CallResult>;
  /** Records a page view; url, path, title, referrer and search are filled in from the page. */
  page(properties?: Properties): Promise<CallResult>;
  /** Records a named page view, e.g. `page('Product', { category: 'Shoes' })`. */
  page(name: string, properties?: Properties): Promise<CallResult>;
  /**
   * Says who the user is, e.g. after login: `identify('u-42', { email, plan })`. Traits are
   * merged and kept; the anonymous id stays on every event so the journey can be stitched.
   * `identify({ plan: 'pro' })` only adds traits.
   */
  identify(userId?: string | Properties, traits?: Properties): Promise<CallResult>;
  /** Associates the user with a group (company, household): `group('acme', { plan: 'pro' })`. */
  group(groupId: string, traits?: Properties): Promise<CallResult>;
  /** Merges identities: `previousId` (default: the current user or anonymous id) is now `userId`. */
  alias(userId: string, previousId?: string): Promise<CallResult>;
  /** Logout: a new anonymous id, no user id, no traits. Events already recorded keep their ids. */
  reset(): Promise<void>;
  /**
   * Ids (and traits, merged as identify would) handed over from outside (a native app, a CRM
   * link) without sending an event. Links with `?pc_uid=` / `?pc_aid=` are handled on load by
   * themselves.
   */
  setIdentity(ids: { userId?: string; anonymousId?: string; traits?: Properties }): Promise<CallResult | { ok: true }>;
  /**
   * Adds a middleware that sees every call before it is recorded and may change it, replace
   * it or drop it (return null); see Middleware. Returns a function that removes it.
   */
  use(middleware: Middleware): () => void;
  /** Consent per category, for a CMP to drive. */
  readonly consent: ConsentApi;
  /** On-device decisions: the ruleset, page signals, and reporting what the visitor did with an offer. */
  readonly decisions: DecisionsApi;
  /**
   * Headless mode: `handler` gets every offer to show and renders it itself (a React or Vue
   * component, a native view), calling `decision.shown()`, `clicked()`, `dismissed()` as the
   * visitor acts; parcours still keeps caps and tracks the offer events. While a handler is
   * registered the built-in renderer draws nothing. Register it right after createParcours:
   * offers decided during load wait for the first handler only with `render: false`.
   * Returns a function that removes the handler.
   */
  onDecision(handler: (decision: Decision) => void): () => void;
  /** Typed helpers for Segment's e-commerce v2 events: `ecommerce.productAdded({...})`. */
  readonly ecommerce: Ecommerce<CallResult>;
  /** Sends everything waiting now; resolves when the queue is empty or waiting on a retry. */
  flush(): Promise<FlushResult>;
  /** Delivery counters: delivered, retried and dropped (by reason); all zero if the core could not load. */
  stats(): Promise<DeliveryStats>;
  /** Identity, session, cart and consent as the core holds them now; null if the core could not load. */
  inspect(): Promise<InspectResult | null>;
  /** The anonymous id stamped on every event (resolves after load). */
  anonymousId(): Promise<string>;
}

// Source middleware, as in Segment: functions that see every call before it is recorded and
// may change it, replace it or drop it. Synchronous, so a call still costs microseconds and
// its result can say at once whether the event was kept.

/** The five Segment call types. */
export type PayloadType = 'track' | 'page' | 'identify' | 'group' | 'alias';

const PAYLOAD_TYPES: readonly string[] = ['track', 'page', 'identify', 'group', 'alias'];

/** One call as middleware sees it, before the core stamps ids, time and context on it. */
export interface Payload {
  type: PayloadType;
  /** `track`: the event name. */
  event?: string;
  /** `page`: the page name. */
  name?: string;
  /** `track`, `page`: the event properties. */
  properties?: Record<string, unknown>;
  /** `identify`, `group`: the user's or group's traits. */
  traits?: Record<string, unknown>;
  userId?: string;
  /** `group`: the group joined. */
  groupId?: string;
  /** `alias`: the id being merged into `userId`. */
  previousId?: string;
}

/**
 * Sees one call and says what becomes of it:
 * - returns `undefined` (or nothing): keep the payload as it now is — for functions that
 *   change it in place;
 * - returns a payload: it replaces the one received (it must keep a valid `type`);
 * - returns `null`: drop the event;
 * - throws: refuse the event with that error.
 *
 * Middleware is synchronous: a returned Promise is refused as an error, since the event
 * cannot wait for it. Do async work (such as hashing with SubtleCrypto) before the call.
 */
export type Middleware = (payload: Payload) => Payload | null | undefined | void;

/** What {@link MiddlewareChain.run} made of one call. */
export type MiddlewareResult = { payload: Payload } | { dropped: true } | { error: Error };

/**
 * The middlewares of one client.
 *
 * - They run in registration order, each receiving the previous one's output.
 * - `null` from any of them drops the event: later ones are not run, and the result says
 *   `dropped`.
 * - `undefined` keeps the payload as it is, so a function may simply mutate it.
 * - A returned object replaces the payload for the middlewares after it and for the core.
 * - One that throws (or returns something that is not a payload) refuses this event with
 *   `{ error }`; the middlewares after it are not run, and other events are not affected.
 *
 * The payload handed to the first middleware is a copy, with copies of `properties` and
 * `traits`, so changing their members in place never alters the objects the page passed
 * to the call; objects nested deeper are shared, so replace rather than mutate those.
 *
 * @example
 * ```ts
 * const chain = new MiddlewareChain();
 * // Never send an email address in event properties.
 * chain.use((payload) => {
 *   if (payload.properties && 'email' in payload.properties) payload.properties.email = '[redacted]';
 * });
 * // Stamp every track and page call with the app version.
 * chain.use((payload) =>
 *   payload.type === 'track' || payload.type === 'page'
 *     ? { ...payload, properties: { ...payload.properties, app_version: '4.2.0' } }
 *     : payload,
 * );
 * // Drop internal test traffic.
 * chain.use((payload) => (payload.event?.startsWith('qa_') ? null : payload));
 * ```
 */
export class MiddlewareChain {
  // Wrapped, so the same function registered twice has two separate unsubscribes.
  private entries: Array<{ fn: Middleware }> = [];

  /** How many middlewares are registered; with none, {@link run} costs nothing. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * Adds `fn` after the middlewares already registered.
   *
   * @returns a function that removes it again (calling it twice is harmless).
   * @throws TypeError when `fn` is not a function — a setup mistake, better caught at once
   *   than found as silently unfiltered events.
   */
  use(fn: Middleware): () => void {
    if (typeof fn !== 'function') {
      throw new TypeError(`[parcours] middleware must be a function, got ${fn === null ? 'null' : typeof fn}`);
    }
    const entry = { fn };
    // A new array rather than a push, so a run in progress keeps the list it started with.
    this.entries = [...this.entries, entry];
    return () => {
      this.entries = this.entries.filter((other) => other !== entry);
    };
  }

  /**
   * Passes `payload` through every middleware, in order. Never throws: a middleware's
   * exception comes back as `{ error }` (the thrown Error itself, or an Error wrapping a
   * thrown non-Error). Middlewares added or removed while it runs apply from the next call.
   */
  run(payload: Payload): MiddlewareResult {
    const entries = this.entries;
    if (entries.length === 0) return { payload };
    let current: Payload = copy(payload);
    for (let index = 0; index < entries.length; index += 1) {
      let output: unknown;
      try {
        output = entries[index]!.fn(current);
      } catch (error) {
        return { error: error instanceof Error ? error : new Error(`[parcours] middleware ${index} threw ${String(error)}`) };
      }
      if (output === null) return { dropped: true };
      if (output === undefined) continue;
      const problem = invalidPayload(output);
      if (problem) return { error: new TypeError(`[parcours] middleware ${index} returned ${problem}`) };
      current = output as Payload;
    }
    return { payload: current };
  }
}

function copy(payload: Payload): Payload {
  const copied: Payload = { ...payload };
  if (isRecord(payload.properties)) copied.properties = { ...payload.properties };
  if (isRecord(payload.traits)) copied.traits = { ...payload.traits };
  return copied;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `output` cannot stand for a payload, or `undefined` when it can. */
function invalidPayload(output: unknown): string | undefined {
  if (!isRecord(output)) return `${Array.isArray(output) ? 'an array' : typeof output} instead of a payload, null or nothing`;
  if (typeof output.then === 'function') return 'a Promise: middleware must be synchronous';
  if (!PAYLOAD_TYPES.includes(output.type as string)) return `a payload with an invalid type ${JSON.stringify(output.type)}`;
  return undefined;
}

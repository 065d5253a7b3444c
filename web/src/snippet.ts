// The pre-load snippet's other half. A site pastes a few lines (docs/SNIPPET.md) that make
// `window.parcours` an array recording calls and load the script-tag build asynchronously;
// when it runs, the recorded calls are replayed in order on a real client and
// `window.parcours` becomes that client.
import type { Parcours, ParcoursOptions } from './types.js';

/** A recorded call: the method (`track`, `consent.set`, `decisions.report`…) and its arguments. */
export type RecordedCall = [string, ...unknown[]];

/** What the snippet leaves on `window.parcours` before the script has loaded. */
export type SnippetStub = RecordedCall[] & { snippet?: string };

export function isSnippetStub(value: unknown): value is SnippetStub {
  return Array.isArray(value);
}

// What a recorded call may name: the client's calls, and the methods of its consent,
// decisions and ecommerce objects (`consent.set`, `ecommerce.productAdded`).
const CALLS = new Set(['track', 'page', 'identify', 'group', 'alias', 'reset', 'setIdentity', 'use', 'onDecision', 'flush']);
const GROUPS = new Set(['consent', 'decisions', 'ecommerce']);

/** Calls `client.<path>(...args)` for a recorded `path` such as `track` or `consent.set`. */
function replay(client: Parcours, [path, ...args]: RecordedCall, warn: (message: string) => void): void {
  const [first, second, ...rest] = String(path).split('.');
  let owner: Record<string, unknown> | undefined;
  let method: unknown;
  if (second === undefined && CALLS.has(first)) {
    owner = client as unknown as Record<string, unknown>;
    method = owner[first];
  } else if (rest.length === 0 && GROUPS.has(first)) {
    owner = (client as unknown as Record<string, Record<string, unknown>>)[first];
    method = Object.prototype.hasOwnProperty.call(owner, second) ? owner[second] : undefined;
  }
  if (typeof method !== 'function') return warn(`the snippet recorded "${path}", which is not a parcours call; ignored`);
  try {
    method.apply(owner, args);
  } catch (error) {
    warn(`replaying ${path} threw: ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * Turns the snippet's recorded calls into a client: the first `init(options)` creates it,
 * every other call is replayed after it in the order it was made. Without an `init` yet,
 * the stub keeps recording and a later `parcours.init(options)` does the same.
 * Returns what `window.parcours` should become.
 */
export function adoptSnippet<Extra extends object>(
  stub: SnippetStub,
  create: (options: ParcoursOptions) => Parcours,
  extra: Extra,
  warn: (message: string) => void,
): (Parcours & Extra) | SnippetStub {
  const initAt = stub.findIndex((call) => Array.isArray(call) && call[0] === 'init');
  if (initAt < 0) {
    const later = stub as SnippetStub & { init?: (options: ParcoursOptions) => unknown };
    later.init = (options: ParcoursOptions) => {
      stub.push(['init', options]);
      const adopted = adoptSnippet(stub, create, extra, warn);
      (globalThis as unknown as { parcours: unknown }).parcours = adopted;
      return adopted;
    };
    return stub;
  }
  const client = create(stub[initAt][1] as ParcoursOptions);
  stub.forEach((call, index) => {
    if (index === initAt) return;
    if (!Array.isArray(call) || typeof call[0] !== 'string') return warn('the snippet recorded something that is not a call; ignored');
    replay(client, call, warn);
  });
  return Object.assign(client, extra);
}

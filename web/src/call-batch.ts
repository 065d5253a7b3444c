// Batches the page's calls: each call is serialized when it is made (later changes to the
// objects passed do not leak in), and one boundary crossing per microtask hands the core
// every call made meanwhile, as one "calls" input; a burst crosses as soon as a crossing's
// worth is waiting, so it never holds more than that in the JS heap. Each call's promise
// resolves with its own result once the core has taken it and its effects (storage
// included) have run.
import type { CoreOutput } from './core-bridge.js';
import type { CallResult, ParcoursError } from './types.js';

// Per crossing: big enough to amortize it, small enough that the input, the output and the
// chunk the core stores stay small in WASM memory (it grows, never shrinks).
const MAX_CROSSING_CHARS = 64 * 1024;

interface PendingCall {
  json: string;
  type: string;
  resolve(result: CallResult): void;
}

export interface BatchHooks {
  /** Hands the core one "calls" input and runs its effects; returns its output. */
  handle(input: string): CoreOutput;
  /** After each crossing: each call's type and its result, in order. */
  settled(types: string[], results: CallResult[]): void;
  now(): number;
}

export class CallBatch {
  private pending: PendingCall[] = [];
  private pendingChars = 0;
  private scheduled = false;

  constructor(private readonly hooks: BatchHooks) {}

  /** Queues one call (its JSON, with `now`); the core sees it at the next flush. */
  add(json: string, type: string): Promise<CallResult> {
    // A synchronous burst of thousands of calls would otherwise keep every one of them (its
    // JSON, its promise) alive until the microtask: the young generation then fills with
    // survivors, and each scavenge copies them. A full crossing goes now instead.
    if (this.pending.length > 0 && this.pendingChars + json.length > MAX_CROSSING_CHARS) this.flush();
    return new Promise((resolve) => {
      this.pending.push({ json, type, resolve });
      this.pendingChars += json.length + 1;
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => this.flush());
      }
    });
  }

  /** Hands every pending call to the core now: before any other input, to keep call order. */
  flush(): void {
    this.scheduled = false;
    const calls = this.pending;
    if (calls.length === 0) return;
    this.pending = [];
    this.pendingChars = 0;
    for (let start = 0; start < calls.length; ) {
      let end = start;
      let chars = 0;
      while (end < calls.length && (end === start || chars + calls[end].json.length <= MAX_CROSSING_CHARS)) {
        chars += calls[end].json.length + 1;
        end += 1;
      }
      this.cross(calls.slice(start, end));
      start = end;
    }
  }

  private cross(calls: PendingCall[]): void {
    const jsons: string[] = new Array(calls.length);
    const types: string[] = new Array(calls.length);
    for (let i = 0; i < calls.length; i += 1) {
      jsons[i] = calls[i].json;
      types[i] = calls[i].type;
    }
    const output = this.hooks.handle(`{"type":"calls","now":${this.hooks.now()},"calls":[${jsons.join(',')}]}`);
    const parsed = output.results;
    const results: CallResult[] = new Array(calls.length);
    for (let i = 0; i < calls.length; i += 1) {
      const one = parsed?.[i];
      // An accepted call's parsed entry is already {ok: true, messageId}: resolved as it is
      // (a burst makes thousands of them).
      const result: CallResult = !output.ok || !one
        ? { ok: false, error: (output.error ?? refused()) as ParcoursError }
        : one.ok
          ? one as CallResult
          : { ok: false, error: one.error as ParcoursError };
      results[i] = result;
      calls[i].resolve(result);
    }
    this.hooks.settled(types, results);
  }
}

function refused(): ParcoursError {
  return { code: 'shell.core_failed', message: '[parcours.shell.core_failed] the core answered no result for a call' };
}

/**
 * One call as the core reads it. A track call is written by hand (the common case, and
 * cheaper than stringifying a fresh object); throws what JSON.stringify throws (cycles, BigInt).
 */
export function callJson(payload: { type: string; event?: unknown; properties?: unknown } & Record<string, unknown>, now: number): string {
  if (payload.type === 'track' && typeof payload.event === 'string' && onlyTrackKeys(payload)) {
    const properties = payload.properties === undefined ? undefined : JSON.stringify(payload.properties);
    return `{"type":"track","now":${now},"event":${JSON.stringify(payload.event)}${
      properties === undefined ? '' : `,"properties":${properties}`}}`;
  }
  return JSON.stringify({ ...payload, now });
}

// type, event and properties and nothing else (a middleware may add members), without the
// array Object.keys would allocate per call.
function onlyTrackKeys(payload: object): boolean {
  let count = 0;
  for (const key in payload) {
    if (key !== 'type' && key !== 'event' && key !== 'properties') return false;
    count += 1;
  }
  return count <= 3;
}

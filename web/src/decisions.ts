// The shell's half of on-device decisions: fetching the ruleset (ETag revalidation, size
// limit), the time zone offset the core cannot know, and the decisions API. Page signals
// are page-signals.ts, drawing offers is render/. The deciding is the core's.
import { failure } from './errors.js';
import type { Decision, DecisionsApi, OfferAction, OfferReport, ParcoursError, RulesResult } from './types.js';

/** Bigger rulesets are refused before they reach the core: WASM memory never shrinks. */
export const MAX_RULESET_BYTES = 2 * 1024 * 1024;

export type RulesAnswer = { type: 'rules'; status: number; body?: string; etag?: string; error?: string };

/**
 * GETs the ruleset with If-None-Match. Never throws: a failure is an answer with status 0
 * (or the HTTP status) and an error, and the core keeps deciding with what it has.
 */
export async function fetchRules(
  url: string,
  etag: string | undefined,
  deps: { fetch: typeof fetch; timeoutMs: number },
): Promise<RulesAnswer> {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = setTimeout(() => controller?.abort(), deps.timeoutMs) as ReturnType<typeof setTimeout> & { unref?: () => void };
  timer.unref?.();
  try {
    const response = await deps.fetch(url, {
      method: 'GET',
      headers: etag ? { 'If-None-Match': etag } : {},
      credentials: 'omit',
      signal: controller?.signal,
    });
    if (response.status === 304) return { type: 'rules', status: 304 };
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { type: 'rules', status: response.status };
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_RULESET_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      return tooLarge(declared);
    }
    const body = await response.text();
    if (body.length > MAX_RULESET_BYTES) return tooLarge(body.length);
    return { type: 'rules', status: 200, body, etag: response.headers.get('etag') ?? '' };
  } catch (error) {
    return { type: 'rules', status: 0, error: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(bytes: number): RulesAnswer {
  return { type: 'rules', status: 0, error: `the response is ${bytes} bytes, over the ${MAX_RULESET_BYTES}-byte ruleset limit` };
}

type TemporalApi = {
  Instant?: { fromEpochMilliseconds?(ms: number): { toZonedDateTimeISO(zone: string): { offsetNanoseconds: number } } };
};

/**
 * Minutes to add to UTC for wall-clock time in `timeZone` now (the ruleset's zone, so
 * "quiet hours 22-8" mean the shop's nights). The browser's own zone when none is given
 * or the zone is unknown.
 */
export function utcOffsetMinutes(timeZone: string | undefined, at: Date = new Date()): number {
  if (timeZone) {
    // Temporal when the engine has it: a first Intl.DateTimeFormat costs 15-40 ms at startup.
    const temporal = (globalThis as { Temporal?: TemporalApi }).Temporal;
    try {
      const zoned = temporal?.Instant?.fromEpochMilliseconds?.(at.getTime()).toZonedDateTimeISO(timeZone);
      if (zoned) return Math.round(zoned.offsetNanoseconds / 6e10);
    } catch {
      // An unknown zone name: Intl says the same below.
    }
    try {
      const parts = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
        hour: 'numeric', minute: 'numeric', second: 'numeric',
      }).formatToParts(at);
      const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
      const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
      return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60000);
    } catch {
      // An unknown zone name: the visitor's own zone is the best guess.
    }
  }
  return -at.getTimezoneOffset();
}

/**
 * Delivers decisions to headless handlers. Decisions made before anyone listens (the first
 * page view decides during load) wait, a few at most, for the first handler.
 */
export class DecisionFeed {
  private readonly listeners = new Set<(decision: Decision) => void>();
  private waiting: Decision[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void) {}

  publish(decision: Decision): void {
    if (this.listeners.size === 0) {
      this.waiting.push(decision);
      if (this.waiting.length > 10) this.waiting.shift();
      return;
    }
    for (const listener of this.listeners) this.call(listener, decision);
  }

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: (decision: Decision) => void): () => void {
    this.listeners.add(listener);
    const waiting = this.waiting;
    this.waiting = [];
    for (const decision of waiting) this.call(listener, decision);
    return () => void this.listeners.delete(listener);
  }

  private call(listener: (decision: Decision) => void, decision: Decision): void {
    try {
      listener(decision);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}

export const OFFER_ACTIONS: readonly OfferAction[] = ['shown', 'clicked', 'dismissed', 'converted', 'closed'];

/** The core's `show` decision, before the shell adds the reporting methods. */
export type DecisionData = Omit<Decision, OfferAction>;

/**
 * Gives a decision its `shown()`, `clicked()`… methods (not enumerable: JSON keeps the data
 * only). Each is reported once, and once it was dismissed or closed nothing more is: a
 * re-rendering component calling `shown()` again does not count the offer twice.
 */
export function withActions(data: DecisionData, report: (id: string, action: OfferAction) => Promise<OfferReport>): Decision {
  const decision = { ...data } as Decision;
  const done = new Map<OfferAction, Promise<OfferReport>>();
  for (const action of OFFER_ACTIONS) {
    const once = (): Promise<OfferReport> => {
      const earlier = done.get(action) ?? done.get('dismissed') ?? done.get('closed');
      if (earlier) return earlier;
      const result = report(data.id, action);
      done.set(action, result);
      return result;
    };
    Object.defineProperty(decision, action, { value: once, enumerable: false });
  }
  return decision;
}

/** What the decisions API needs from the client. */
export interface DecisionsDeps {
  /** Hands an input to the core once it is loaded; a failed load answers with its error. */
  run(input: { type: string } & Record<string, unknown>): Promise<{ ok: boolean; error?: unknown; result?: Record<string, unknown> }>;
}


/** `parcours.decisions`: thin, every decision is the core's. */
export function createDecisionsApi({ run }: DecisionsDeps): DecisionsApi {
  const send = async (input: { type: string } & Record<string, unknown>): Promise<OfferReport> => {
    const output = await run(input);
    if (!output.ok) return { ok: false, error: output.error as ParcoursError };
    const messageId = output.result?.messageId;
    return typeof messageId === 'string' ? { ok: true, messageId } : { ok: true };
  };
  return {
    report: (decisionId, action) => (OFFER_ACTIONS.includes(action)
      ? send({ type: 'offer', decisionId, action })
      : Promise.resolve(failure('input.invalid', `action must be one of ${OFFER_ACTIONS.join(', ')}`))),
    load: async (ruleset): Promise<RulesResult> => {
      const output = await run({ type: 'rules', ruleset });
      if (!output.ok) return { ok: false, error: output.error as ParcoursError };
      const result = output.result as { loaded?: boolean; revision?: string; campaigns?: number; error?: string } | undefined;
      if (!result?.loaded) return failure('rules.invalid', result?.error ?? 'the ruleset was refused');
      return { ok: true, revision: result.revision ?? '', campaigns: result.campaigns ?? 0 };
    },
    signal: (name, value) => send({ type: 'signal', name, ...(value === undefined ? {} : { value }) }),
  };
}

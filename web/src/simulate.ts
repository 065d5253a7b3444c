// Replays an event log through the real core and a ruleset: which offers would have shown,
// when, to whom, and why. The same WASM as in the browser decides, with the log's own
// clock, so a marketer can try a campaign on yesterday's events before publishing it.
import { CoreBridge, type CoreInput, type CoreOutput, type Effect } from './core-bridge.js';
import { utcOffsetMinutes } from './decisions.js';
import type { Decision } from './types.js';
import type { WasmSource } from './wasm-source.js';

export interface SimulationOptions {
  /** The ruleset (docs/RULES.md), parsed or as text. */
  rules: Record<string, unknown> | string;
  /** Segment events as a collector logged them (track, page, identify), in any order. */
  events: Array<Record<string, unknown>>;
  /** Explain every campaign considered, not only the winners (as in debug mode). Default true. */
  explain?: boolean;
  /** How long after a visitor's last event timers may still fire (cart idle...). Default 2 h. */
  tailMs?: number;
  /** Where the core's wasm comes from (Node: read next to the module by default). */
  wasm?: WasmSource;
}

export interface SimulatedDecision {
  /** ISO time of the decision. */
  at: string;
  /** The visitor (userId if the log has one, else anonymousId). */
  visitor: string;
  campaign: string;
  /** Null when the visitor is in the holdout group: tracked, nothing shown. */
  variant: string | null;
  placement: string;
  /** What set it off, e.g. `cartIdle` or `event:Product Added`. */
  trigger: string;
  content: Decision['content'] | null;
  explanation: Record<string, unknown>;
}

export interface SimulationResult {
  revision: string;
  campaigns: number;
  visitors: number;
  events: number;
  decisions: SimulatedDecision[];
  /** Events the core refused, and why (a log line each). */
  problems: string[];
}

type LoggedEvent = Record<string, unknown> & { timestamp?: string; anonymousId?: string; userId?: string };

const SIMULATED_CONFIG = { writeKey: 'simulate', rulesUrl: false, flushIntervalMs: 86400000, maxQueueEvents: 100000 };

function visitorOf(event: LoggedEvent): string {
  return String(event.anonymousId ?? event.userId ?? 'unknown');
}

function timeOf(event: LoggedEvent): number {
  const at = Date.parse(String(event.timestamp ?? ''));
  return Number.isFinite(at) ? at : NaN;
}

/** One visitor's replay through a fresh core. */
class VisitorReplay {
  private wakeAt: number | null = null;
  private now = 0;

  constructor(private readonly core: CoreBridge, private readonly visitor: string, private readonly result: SimulationResult) {}

  start(first: LoggedEvent, rules: Record<string, unknown>, explain: boolean): void {
    this.now = timeOf(first);
    const context = (first.context ?? {}) as Record<string, unknown>;
    const init = this.send({ type: 'init', config: { ...SIMULATED_CONFIG, rules, debug: explain }, seed: [1, 2, 3, 4], context });
    if (!init.ok) throw new Error(init.error?.message ?? 'the core refused to start');
    // Days and hours in the ruleset's zone, at the log's time (not the machine's).
    const timezone = typeof rules.timezone === 'string' ? rules.timezone : 'UTC';
    this.send({ type: 'clock', utcOffsetMinutes: utcOffsetMinutes(timezone, new Date(this.now)) });
    // The log's ids, so bucketing puts the visitor in the variant they really had.
    this.send({ type: 'identity', anonymousId: first.anonymousId ?? this.visitor,
                ...(typeof first.userId === 'string' ? { userId: first.userId } : {}) });
  }

  /** Fires the timers due up to `until`, then replays `event` at its time. */
  replay(event: LoggedEvent): void {
    const at = timeOf(event);
    this.runTimersUntil(at);
    this.now = Math.max(this.now, at);
    if (event.context && typeof event.context === 'object') this.send({ type: 'context', context: event.context });
    const input = toInput(event);
    if (!input) return;
    const output = this.send(input);
    if (!output.ok) this.result.problems.push(`${this.visitor} ${String(event.timestamp)}: ${output.error?.message}`);
  }

  runTimersUntil(until: number): void {
    for (let guard = 0; this.wakeAt !== null && this.wakeAt <= until && guard < 10000; guard += 1) {
      this.now = Math.max(this.now, this.wakeAt);
      this.wakeAt = null;
      this.send({ type: 'tick' });
    }
  }

  private send(input: Omit<CoreInput, 'now'>): CoreOutput {
    const output = this.core.handle({ ...input, now: this.now } as CoreInput);
    for (const effect of output.effects) this.apply(effect);
    return output;
  }

  private apply(effect: Effect): void {
    if (effect.type === 'schedule') this.wakeAt = effect.at;
    if (effect.type === 'log' && effect.level === 'debug' && effect.message.startsWith('[parcours.decision] ')) {
      this.recordHoldouts(JSON.parse(effect.message.slice('[parcours.decision] '.length)) as Record<string, unknown>);
    }
    if (effect.type !== 'show') return;
    const decision = effect.decision;
    this.result.decisions.push({
      at: new Date(this.now).toISOString(), visitor: this.visitor, campaign: decision.campaign.id,
      variant: decision.variant, placement: decision.placement, trigger: String(decision.explanation.trigger ?? ''),
      content: decision.content, explanation: decision.explanation,
    });
    // No renderer here: the offer counts as seen and closed, so its placement frees up.
    this.send({ type: 'offer', decisionId: decision.id, action: 'shown' });
    this.send({ type: 'offer', decisionId: decision.id, action: 'closed' });
  }

  private recordHoldouts(explanation: Record<string, unknown>): void {
    const campaigns = (explanation.campaigns ?? []) as Array<{ campaign: string; outcome: string; reason: string }>;
    for (const entry of campaigns) {
      if (entry.outcome !== 'heldOut') continue;
      this.result.decisions.push({
        at: new Date(this.now).toISOString(), visitor: this.visitor, campaign: entry.campaign, variant: null,
        placement: '', trigger: String(explanation.trigger ?? ''), content: null, explanation,
      });
    }
  }
}

function toInput(event: LoggedEvent): Omit<CoreInput, 'now'> | null {
  switch (event.type) {
    case 'track':
      // Offer interactions in the log were the old rules' doing, not the visitor's.
      if (String(event.event ?? '').startsWith('Offer ')) return null;
      return { type: 'track', event: event.event, properties: event.properties ?? {} };
    case 'page':
      return { type: 'page', name: event.name, properties: event.properties ?? {} };
    case 'identify':
      return { type: 'identify', userId: event.userId, traits: event.traits ?? {} };
    default:
      return null;
  }
}

/** Replays `events` against `rules`; resolves with every decision, in time order. */
export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const rules = typeof options.rules === 'string' ? (JSON.parse(options.rules) as Record<string, unknown>) : options.rules;
  const explain = options.explain !== false;
  const tailMs = options.tailMs ?? 2 * 3600 * 1000;
  const result: SimulationResult = { revision: String(rules.revision ?? ''), campaigns: 0, visitors: 0, events: 0,
                                     decisions: [], problems: [] };
  const byVisitor = new Map<string, LoggedEvent[]>();
  for (const event of options.events as LoggedEvent[]) {
    if (!Number.isFinite(timeOf(event))) {
      result.problems.push(`skipped an event without a valid timestamp: ${JSON.stringify(event).slice(0, 120)}`);
      continue;
    }
    const visitor = visitorOf(event);
    if (!byVisitor.has(visitor)) byVisitor.set(visitor, []);
    byVisitor.get(visitor)?.push(event);
    result.events += 1;
  }
  // Checked once up front, so a broken ruleset is one clear error rather than one per visitor.
  const probe = await CoreBridge.load(options.wasm ?? {});
  const loaded = probe.handle({ type: 'init', now: 0, config: { ...SIMULATED_CONFIG, rules }, seed: [1, 2, 3, 4] });
  const answer = loaded.result?.rules as { loaded?: boolean; campaigns?: number } | undefined;
  if (!loaded.ok || !answer?.loaded) {
    const logged = loaded.effects.find((effect) => effect.type === 'log' && effect.level === 'error');
    throw new Error(logged && logged.type === 'log' ? logged.message : 'the ruleset was refused');
  }
  result.campaigns = answer.campaigns ?? 0;
  for (const [visitor, events] of byVisitor) {
    events.sort((a, b) => timeOf(a) - timeOf(b));
    const replay = new VisitorReplay(await CoreBridge.load(options.wasm ?? {}), visitor, result);
    replay.start(events[0], rules, explain);
    for (const event of events) replay.replay(event);
    replay.runTimersUntil(timeOf(events[events.length - 1]) + tailMs);
    result.visitors += 1;
  }
  result.decisions.sort((a, b) => a.at.localeCompare(b.at));
  return result;
}

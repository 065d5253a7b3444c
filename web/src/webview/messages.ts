// The webview bridge's messages, version 1 (docs/WEBVIEW.md): reading what the native app
// sends, strictly (a malformed message is refused with the reason, never half-applied), and
// the shapes the page sends back.

export const BRIDGE_VERSION = 1;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value !== '');

/** A message from the native app, once checked. */
export type NativeMessage =
  | { type: 'identity'; anonymousId?: string; userId?: string; traits?: Json }
  | { type: 'consent'; categories: Record<string, boolean | null> }
  | { type: 'rules'; ruleset: Json }
  | { type: 'offer'; decisionId: string; action: string }
  | { type: 'lifecycle'; state: 'background' | 'foreground' }
  | { type: 'reset' };

/** What the app may set on `window.parcoursNative` before the page loads (all optional). */
export interface PreloadHandover {
  identity?: { anonymousId?: string; userId?: string; traits?: Json };
  consent?: Record<string, boolean | null>;
  rules?: Json;
  mode?: 'direct' | 'forward';
  decisions?: 'web' | 'native';
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function checkIdentity(message: Json): string | null {
  if (!optionalString(message.anonymousId)) return 'anonymousId must be a non-empty string';
  if (!optionalString(message.userId)) return 'userId must be a non-empty string';
  if (message.traits !== undefined && !isObject(message.traits)) return 'traits must be an object';
  if (message.anonymousId === undefined && message.userId === undefined && message.traits === undefined) {
    return 'give anonymousId, userId or traits';
  }
  return null;
}

function checkConsent(categories: unknown): string | null {
  if (!isObject(categories)) return 'categories must be an object';
  const bad = Object.entries(categories).find(([, value]) => value !== true && value !== false && value !== null);
  return bad ? `consent "${bad[0]}" must be true, false or null` : null;
}

/** Checks a message from the native app: a JSON string (or an object) with `v: 1` and a known type. */
export function readNativeMessage(raw: unknown): Checked<NativeMessage> {
  let message: unknown = raw;
  if (typeof raw === 'string') {
    try {
      message = JSON.parse(raw);
    } catch {
      return refuse('not JSON');
    }
  }
  if (!isObject(message)) return refuse('not a JSON object');
  if (message.v !== BRIDGE_VERSION) return refuse(`unsupported version ${JSON.stringify(message.v)} (this page speaks v${BRIDGE_VERSION})`);
  switch (message.type) {
    case 'identity': {
      const problem = checkIdentity(message);
      return problem ? refuse(problem) : { ok: true, value: { type: 'identity', anonymousId: message.anonymousId as string | undefined,
        userId: message.userId as string | undefined, traits: message.traits as Json | undefined } };
    }
    case 'consent': {
      const problem = checkConsent(message.categories);
      return problem ? refuse(problem) : { ok: true, value: { type: 'consent', categories: message.categories as Record<string, boolean | null> } };
    }
    case 'rules':
      return isObject(message.ruleset) ? { ok: true, value: { type: 'rules', ruleset: message.ruleset } } : refuse('ruleset must be an object');
    case 'offer':
      if (typeof message.decisionId !== 'string' || typeof message.action !== 'string') return refuse('decisionId and action must be strings');
      return { ok: true, value: { type: 'offer', decisionId: message.decisionId, action: message.action } };
    case 'lifecycle':
      if (message.state !== 'background' && message.state !== 'foreground') return refuse('state must be "background" or "foreground"');
      return { ok: true, value: { type: 'lifecycle', state: message.state } };
    case 'reset':
      return { ok: true, value: { type: 'reset' } };
    default:
      return refuse(`unknown type ${JSON.stringify(message.type)}`);
  }
}

/** Checks the pre-load handover object; members that are wrong are dropped, each with its reason. */
export function readPreload(raw: unknown): { handover: PreloadHandover; problems: string[] } {
  const handover: PreloadHandover = {};
  const problems: string[] = [];
  if (raw === undefined) return { handover, problems };
  if (!isObject(raw)) return { handover, problems: ['window.parcoursNative is not an object'] };
  if (raw.v !== BRIDGE_VERSION) return { handover, problems: [`window.parcoursNative has unsupported version ${JSON.stringify(raw.v)}`] };
  if (raw.identity !== undefined) {
    const problem = isObject(raw.identity) ? checkIdentity(raw.identity) : 'identity must be an object';
    if (problem) problems.push(`identity: ${problem}`);
    else handover.identity = raw.identity as PreloadHandover['identity'];
  }
  if (raw.consent !== undefined) {
    const problem = checkConsent(raw.consent);
    if (problem) problems.push(`consent: ${problem}`);
    else handover.consent = raw.consent as Record<string, boolean | null>;
  }
  if (raw.rules !== undefined) {
    if (isObject(raw.rules)) handover.rules = raw.rules;
    else problems.push('rules must be an object');
  }
  if (raw.mode !== undefined) {
    if (raw.mode === 'direct' || raw.mode === 'forward') handover.mode = raw.mode;
    else problems.push('mode must be "direct" or "forward"');
  }
  if (raw.decisions !== undefined) {
    if (raw.decisions === 'web' || raw.decisions === 'native') handover.decisions = raw.decisions;
    else problems.push('decisions must be "web" or "native"');
  }
  return { handover, problems };
}

/** A message for the native app: `{ v: 1, type, ...fields }` as JSON. */
export function toNative(type: string, fields: Json): string {
  return JSON.stringify({ v: BRIDGE_VERSION, type, ...fields });
}

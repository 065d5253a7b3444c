// The shell's refusals, in the core's shape: `{ ok: false, error: { code, message, path? } }`
// with the message prefixed `[parcours.<code>]` (once, even when the detail already is one).
import type { ParcoursError } from './types.js';

export function failure(code: ParcoursError['code'], detail: string, path?: string): { ok: false; error: ParcoursError } {
  const message = detail.startsWith('[parcours.') ? detail : `[parcours.${code}] ${detail}`;
  return { ok: false, error: { code, message, ...(path ? { path } : {}) } };
}

/** A ParcoursError as is; anything else thrown becomes one with `fallback` as its code. */
export function asError(error: unknown, fallback: ParcoursError['code']): ParcoursError {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) return error as ParcoursError;
  return failure(fallback, (error as Error)?.message ?? String(error)).error;
}

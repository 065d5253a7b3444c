// Reads the customer ids an email or SMS link hands to the site (`pc_uid`, `pc_aid`), so
// one customer keeps one id across channels, and strips them from the URL afterwards so
// they are not kept in the address bar, bookmarked or shared.

/** Query parameter carrying the customer's user id. */
export const USER_ID_PARAM = 'pc_uid';
/** Query parameter carrying the customer's anonymous id. */
export const ANONYMOUS_ID_PARAM = 'pc_aid';

/** Ids found in a query string; a member is present only when its parameter held a valid id. */
export interface IdentityParams {
  userId?: string;
  anonymousId?: string;
}

// 1–200 characters of printable ASCII, space excluded: anything else is a broken or
// tampered link, and a wrong id would merge two customers, so it is better to have none.
const VALID_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Decodes one form-encoded query component (`+` is a space), or `undefined` when its
 * percent-encoding is malformed: an id we cannot read exactly is not an id.
 */
function decodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Splits a URL into what precedes the query, the query (without `?`) and the `#fragment`. */
function splitUrl(url: string): { base: string; query: string | undefined; hash: string } {
  const hashAt = url.indexOf('#');
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return { base: beforeHash, query: undefined, hash };
  return { base: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), hash };
}

function parameterName(part: string): string | undefined {
  const equals = part.indexOf('=');
  return decodeComponent(equals === -1 ? part : part.slice(0, equals));
}

/**
 * The ids in a query string such as `location.search` (the leading `?` is optional, a
 * `#fragment` is ignored). Only the first occurrence of each parameter counts. A value is
 * accepted when, once decoded, it is 1–200 characters of printable ASCII without spaces;
 * otherwise that member is left out (the other one may still be present). Never throws.
 */
export function readIdentityParams(search: string): IdentityParams {
  const ids: IdentityParams = {};
  if (typeof search !== 'string') return ids;
  const { query } = splitUrl(search.startsWith('?') ? search : `?${search}`);
  const seen = new Set<string>();
  for (const part of (query ?? '').split('&')) {
    const name = parameterName(part);
    if (name !== USER_ID_PARAM && name !== ANONYMOUS_ID_PARAM) continue;
    if (seen.has(name)) continue;
    seen.add(name);
    const equals = part.indexOf('=');
    const value = equals === -1 ? undefined : decodeComponent(part.slice(equals + 1));
    if (value === undefined || !VALID_ID.test(value)) continue;
    if (name === USER_ID_PARAM) ids.userId = value;
    else ids.anonymousId = value;
  }
  return ids;
}

/**
 * `url` (absolute or relative) without any `pc_uid` / `pc_aid` parameter. Everything else
 * is kept as it was — other parameters with their order and encoding, the `#fragment` —
 * except empty `&&` gaps, and the `?` goes too when nothing is left after it. Returns `url` itself when it holds
 * neither parameter, so `withoutIdentityParams(href) !== href` tells whether to call
 * `history.replaceState`.
 */
export function withoutIdentityParams(url: string): string {
  const { base, query, hash } = splitUrl(url);
  if (query === undefined) return url;
  const parts = query.split('&');
  const kept = parts.filter((part) => {
    const name = parameterName(part);
    return name !== USER_ID_PARAM && name !== ANONYMOUS_ID_PARAM;
  });
  if (kept.length === parts.length) return url;
  const rest = kept.filter((part) => part !== '').join('&');
  return `${base}${rest === '' ? '' : `?${rest}`}${hash}`;
}

// Reads the campaign a visitor arrived from (UTM parameters and ad click ids) out of the
// page's query string, in Segment's `context.campaign` shape, and keys it so the client can
// start a new session when the campaign changes.

/**
 * Segment's `context.campaign`, plus the ad networks' click ids as members of the same
 * object. Every member is a trimmed string of at most 200 characters; absent ones are left out.
 */
export interface Campaign {
  /** `utm_campaign`. */
  name?: string;
  /** `utm_source`. */
  source?: string;
  /** `utm_medium`. */
  medium?: string;
  /** `utm_term`. */
  term?: string;
  /** `utm_content`. */
  content?: string;
  /** `utm_id`. */
  id?: string;
  /** Google Ads click id. */
  gclid?: string;
  /** Meta (Facebook, Instagram) click id. */
  fbclid?: string;
  /** Microsoft Advertising click id. */
  msclkid?: string;
  /** Google Display & Video 360 / Campaign Manager click id. */
  dclid?: string;
  /** TikTok click id. */
  ttclid?: string;
  /** LinkedIn click id. */
  li_fat_id?: string;
}

/** Longest value kept per member, in characters; longer ones are cut. */
export const MAX_CAMPAIGN_VALUE_LENGTH = 200;

// Query parameter → Campaign member. The order is also the order of campaignKey, which
// is what makes the key independent of the order members were set in.
const PARAMETERS: ReadonlyArray<readonly [string, keyof Campaign]> = [
  ['utm_campaign', 'name'],
  ['utm_source', 'source'],
  ['utm_medium', 'medium'],
  ['utm_term', 'term'],
  ['utm_content', 'content'],
  ['utm_id', 'id'],
  ['gclid', 'gclid'],
  ['fbclid', 'fbclid'],
  ['msclkid', 'msclkid'],
  ['dclid', 'dclid'],
  ['ttclid', 'ttclid'],
  ['li_fat_id', 'li_fat_id'],
];

/**
 * Decodes one form-encoded query component. Malformed percent-encoding (`50%off`, a cut
 * `%E0%A4%A`) is common in hand-made campaign links, so it keeps the raw text instead of
 * throwing, as Segment's analytics.js does.
 */
function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Trims and cuts to the length limit, by code point so no surrogate pair is split. */
function clean(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length <= MAX_CAMPAIGN_VALUE_LENGTH) return trimmed;
  return Array.from(trimmed).slice(0, MAX_CAMPAIGN_VALUE_LENGTH).join('').trim();
}

/**
 * The campaign in a query string such as `location.search` (the leading `?` is optional; a
 * `#fragment` is ignored). Parameter names are case-sensitive, as in Segment; when one
 * appears twice the first non-empty value wins. Values are trimmed and cut to 200
 * characters; empty ones count as absent. Never throws.
 *
 * @returns the campaign, or `undefined` when the query holds none of its parameters.
 */
export function parseCampaign(search: string): Campaign | undefined {
  if (typeof search !== 'string') return undefined;
  let query = search.startsWith('?') ? search.slice(1) : search;
  const hash = query.indexOf('#');
  if (hash !== -1) query = query.slice(0, hash);

  const campaign: Campaign = {};
  let found = false;
  for (const part of query.split('&')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;  // No value, or no name: nothing to keep.
    const name = decodeComponent(part.slice(0, equals));
    const entry = PARAMETERS.find(([parameter]) => parameter === name);
    if (!entry || campaign[entry[1]] !== undefined) continue;
    const value = clean(decodeComponent(part.slice(equals + 1)));
    if (value === '') continue;
    campaign[entry[1]] = value;
    found = true;
  }
  return found ? campaign : undefined;
}

/**
 * A string that is equal for two campaigns exactly when their members (click ids included)
 * are equal, whatever order they were set in: compare it with the stored one to tell that
 * the visitor came back from a different campaign and a new session should start.
 *
 * @returns `''` for `undefined` or a campaign without members.
 */
export function campaignKey(campaign: Campaign | undefined): string {
  if (!campaign) return '';
  const pairs: Array<[string, string]> = [];
  for (const [, member] of PARAMETERS) {
    const value = campaign[member];
    if (typeof value === 'string' && value !== '') pairs.push([member, value]);
  }
  // JSON keeps the key unambiguous whatever characters the values hold.
  return pairs.length === 0 ? '' : JSON.stringify(pairs);
}

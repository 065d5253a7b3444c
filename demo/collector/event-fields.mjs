// Reading stored events the same way everywhere: when an event happened, its channel, its email and display name.
// Pure functions over one stored event (a Segment-spec object plus the collector's receivedAt).

/** True for a non-empty string. */
export const isText = (value) => typeof value === 'string' && value !== '';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * When the event happened, in ms since the epoch: the client's `timestamp`, else the collector's
 * `receivedAt`, else NaN. Client time is what orders a customer's journey (a queued offline
 * event keeps its place); it is not corrected for clock skew.
 */
export function eventTime(event) {
  const fromClient = Date.parse(event?.timestamp);
  if (Number.isFinite(fromClient)) return fromClient;
  const fromCollector = Date.parse(event?.receivedAt);
  return Number.isFinite(fromCollector) ? fromCollector : Number.NaN;
}

/** The UTM campaign of the event's session (landing page), else of its page. */
export function sessionCampaign(event) {
  const context = isObject(event?.context) ? event.context : {};
  if (isObject(context.session) && isObject(context.session.campaign)) return context.session.campaign;
  return isObject(context.campaign) ? context.campaign : null;
}

const isEmailCampaign = (campaign) => campaign !== null
  && [campaign.source, campaign.medium].some((v) => isText(v) && v.toLowerCase() === 'email');

/**
 * The channel an event came through:
 * - `context.channel` when the sender names one (a string, or an object's `name`/`type`), e.g. "webview";
 * - "email" when the session's campaign has source or medium "email" (a visit from an email link);
 * - "web" otherwise.
 */
export function channelOf(event) {
  const declared = event?.context?.channel;
  const named = isText(declared) ? declared : (isObject(declared) && (declared.name ?? declared.type)) || '';
  if (isText(named) && named.toLowerCase() !== 'web') return named.toLowerCase().slice(0, 40);
  return isEmailCampaign(sessionCampaign(event)) ? 'email' : 'web';
}

/** An email address the event states about its sender (identify traits, context.traits), or null. */
export function emailOf(event) {
  const candidates = [event?.traits?.email, event?.context?.traits?.email];
  if (event?.type === 'identify') candidates.push(event?.properties?.email);
  const found = candidates.find((value) => isText(value) && value.includes('@'));
  return found ? found.trim().slice(0, 320) : null;
}

/** Short human label: the track event name, "page <name|path>", or the call type. */
export function eventLabel(event) {
  if (event?.type === 'track') return isText(event.event) ? event.event : 'track';
  if (event?.type === 'page') {
    const where = isText(event.name) ? event.name : event?.properties?.path ?? event?.context?.page?.path;
    return isText(where) ? `page ${where}` : 'page';
  }
  return isText(event?.type) ? event.type : 'event';
}

/** The properties of an offer event (Offer Shown/Clicked/...), or null for any other event. */
export function offerProps(event) {
  if (event?.type !== 'track' || !isText(event.event) || !event.event.startsWith('Offer ')) return null;
  const props = isObject(event.properties) ? event.properties : {};
  return isText(props.campaign_id) ? props : null;
}

/** A finite number or null. */
export function numberOrNull(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Rounds money to cents (avoids 0.1 + 0.2 showing as 0.30000000000000004). */
export const cents = (value) => Math.round(value * 100) / 100;

// Customer views for the dashboard: the list of customers to pick from, and one customer's
// journey — their events across web, webview and email visits, in time order.
// Pure functions of the stored events; ids are merged as identity.mjs explains.
import {
  channelOf, eventLabel, isText, sessionCampaign,
} from './event-fields.mjs';
import { buildIdentity } from './identity.mjs';

export const MAX_JOURNEY_EVENTS = 1000;

const iso = (ms) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

function summary(customer) {
  return {
    key: customer.key,
    userId: customer.userId,
    anonymousIds: customer.anonymousIds,
    email: customer.email,
    firstSeen: iso(customer.firstSeen),
    lastSeen: iso(customer.lastSeen),
    events: customer.events,
    channels: customer.channels,
  };
}

/** Customers whose user id, anonymous id or email contains `query` (case-insensitive), last seen first. */
export function listCustomers(events, { query = '', limit = 100, identity = buildIdentity(events) } = {}) {
  const needle = query.trim().toLowerCase();
  const matches = [...identity.customers.values()].filter((c) => needle === ''
    || [c.userId, c.email, ...c.anonymousIds].some((id) => isText(id) && id.toLowerCase().includes(needle)));
  matches.sort((a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0) || a.key.localeCompare(b.key));
  return { total: matches.length, customers: matches.slice(0, limit).map(summary) };
}

// What a person wants to see of each event: the few properties that tell the story.
const SHOWN_PROPERTIES = ['product_id', 'name', 'price', 'quantity', 'order_id', 'total', 'revenue', 'currency',
  'campaign_id', 'variant_id', 'placement', 'attribution', 'holdout', 'path'];

function step(event, time) {
  const props = event.properties ?? event.traits ?? {};
  const details = {};
  for (const key of SHOWN_PROPERTIES) {
    if (props[key] !== undefined && props[key] !== null && typeof props[key] !== 'object') details[key] = props[key];
  }
  const campaign = sessionCampaign(event);
  return {
    time: iso(time),
    messageId: event.messageId,
    type: event.type,
    label: eventLabel(event),
    channel: channelOf(event),
    userId: isText(event.userId) ? event.userId : null,
    anonymousId: isText(event.anonymousId) ? event.anonymousId : null,
    sessionId: isText(event.context?.session?.id) ? event.context.session.id : null,
    campaign: campaign && (campaign.name || campaign.source)
      ? { source: campaign.source ?? null, medium: campaign.medium ?? null, name: campaign.name ?? null } : null,
    details,
  };
}

/**
 * The journey of the customer `id` (a userId, an anonymousId or a customer key): every event
 * of the merged customer in time order (the most recent MAX_JOURNEY_EVENTS), or null if unknown.
 */
export function customerJourney(events, id, { identity = buildIdentity(events) } = {}) {
  const key = identity.resolve(id);
  if (key === null) return null;
  const steps = identity.timeline.filter(({ event }) => identity.keyOf(event) === key).map(({ event, time }) => step(event, time));
  const truncated = steps.length > MAX_JOURNEY_EVENTS;
  const sessions = new Set(steps.map((s) => s.sessionId).filter(Boolean));
  return {
    customer: summary(identity.customers.get(key)),
    sessions: sessions.size,
    truncated,
    events: truncated ? steps.slice(-MAX_JOURNEY_EVENTS) : steps,
  };
}

// Who is who in the event log: merges anonymous ids into the user they were seen with, and follows aliases.
// Pure: buildIdentity(events) reads the events once and answers lookups; nothing is stored.
import { channelOf, emailOf, eventTime, isText } from './event-fields.mjs';

const MAX_ALIAS_HOPS = 20;

/** Events sorted by when they happened (ties keep log order); events without a time go last. */
export function byTime(events) {
  return events
    .map((event, index) => ({ event, index, time: eventTime(event) }))
    .sort((a, b) => (Number.isNaN(a.time) ? Infinity : a.time) - (Number.isNaN(b.time) ? Infinity : b.time)
      || a.index - b.index);
}

/**
 * Merging rules (documented in docs/DASHBOARD.md):
 * - an anonymousId seen on an event that also has a userId belongs to that user — all its events,
 *   including those from before the login; if it was seen with several users, the first one (in time) wins;
 * - `alias` makes `previousId` (an old user id or an anonymous id) part of the new `userId`;
 * - everything else is its own customer, keyed by anonymousId.
 * Customer keys are "u:<userId>" or "a:<anonymousId>".
 */
export function buildIdentity(events) {
  const timeline = byTime(events);
  const anonToUser = new Map();
  const aliasTo = new Map();
  for (const { event } of timeline) {
    if (isText(event.userId) && isText(event.anonymousId) && !anonToUser.has(event.anonymousId)) {
      anonToUser.set(event.anonymousId, event.userId);
    }
    if (event.type === 'alias' && isText(event.previousId) && isText(event.userId) && event.previousId !== event.userId) {
      aliasTo.set(event.previousId, event.userId);
    }
  }

  const resolveUser = (userId) => {
    let current = userId;
    for (let hops = 0; hops < MAX_ALIAS_HOPS && aliasTo.has(current); hops += 1) current = aliasTo.get(current);
    return current;
  };
  const keyOfAnonymous = (anonymousId) => {
    if (anonToUser.has(anonymousId)) return `u:${resolveUser(anonToUser.get(anonymousId))}`;
    if (aliasTo.has(anonymousId)) return `u:${resolveUser(anonymousId)}`;
    return `a:${anonymousId}`;
  };
  /** The customer key of an event, or null when it carries no id at all. */
  const keyOf = (event) => {
    if (isText(event.userId)) return `u:${resolveUser(event.userId)}`;
    if (isText(event.anonymousId)) return keyOfAnonymous(event.anonymousId);
    return null;
  };

  const customers = new Map();
  for (const { event, time } of timeline) {
    const key = keyOf(event);
    if (key === null) continue;
    let customer = customers.get(key);
    if (!customer) {
      customer = {
        key,
        userId: key.startsWith('u:') ? key.slice(2) : null,
        anonymousIds: [],
        lastAnonymousId: null,
        email: null,
        firstSeen: null,
        lastSeen: null,
        events: 0,
        channels: [],
      };
      customers.set(key, customer);
    }
    customer.events += 1;
    if (isText(event.anonymousId)) {
      if (!customer.anonymousIds.includes(event.anonymousId)) customer.anonymousIds.push(event.anonymousId);
      customer.lastAnonymousId = event.anonymousId;
    }
    const email = emailOf(event);
    if (email) customer.email = email;
    if (Number.isFinite(time)) {
      customer.firstSeen ??= time;
      customer.lastSeen = time;
    }
    const channel = channelOf(event);
    if (!customer.channels.includes(channel)) customer.channels.push(channel);
  }

  /** The customer key for an id typed by a person: a userId, an anonymousId, or a key. Null if unknown. */
  const resolve = (id) => {
    if (!isText(id)) return null;
    if (customers.has(id)) return id;
    const asUser = `u:${resolveUser(id)}`;
    if (customers.has(asUser)) return asUser;
    const asAnonymous = keyOfAnonymous(id);
    return customers.has(asAnonymous) ? asAnonymous : null;
  };

  return { timeline, customers, keyOf, resolve };
}

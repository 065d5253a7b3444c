// Dashboard numbers computed from the stored events: traffic overview, per-campaign funnels,
// per-variant conversion against the holdout (lift) and revenue attributed to offers.
// Pure functions of (events, now); definitions are spelled out in docs/DASHBOARD.md.
import {
  cents, channelOf, eventLabel, eventTime, isText, numberOrNull, offerProps,
} from './event-fields.mjs';
import { buildIdentity } from './identity.mjs';

const MINUTE_MS = 60_000;
const TOP_EVENTS = 10;

const increment = (map, key, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const sortedCounts = (map) => [...map].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));

/**
 * Traffic: totals, events per minute over the last `minutes` minutes (the current minute last),
 * the most frequent event labels and the events per channel.
 */
export function overview(events, { now = Date.now(), minutes = 30, identity = buildIdentity(events) } = {}) {
  const lastStart = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const firstStart = lastStart - (minutes - 1) * MINUTE_MS;
  const buckets = Array.from({ length: minutes }, (_, i) => ({ start: new Date(firstStart + i * MINUTE_MS).toISOString(), count: 0 }));
  const sessions = new Set();
  const byType = new Map();
  const byLabel = new Map();
  const byChannel = new Map();
  let lastEventAt = -Infinity;
  for (const event of events) {
    const time = eventTime(event);
    if (time >= firstStart && time < lastStart + MINUTE_MS) buckets[Math.floor((time - firstStart) / MINUTE_MS)].count += 1;
    if (time > lastEventAt) lastEventAt = time;
    if (isText(event.context?.session?.id)) sessions.add(event.context.session.id);
    increment(byType, isText(event.type) ? event.type : 'unknown');
    increment(byLabel, eventLabel(event).startsWith('page ') ? 'page' : eventLabel(event));
    increment(byChannel, channelOf(event));
  }
  return {
    generatedAt: new Date(now).toISOString(),
    totals: {
      events: events.length,
      customers: identity.customers.size,
      sessions: sessions.size,
      byType: Object.fromEntries(sortedCounts(byType)),
    },
    perMinute: { minutes, from: buckets[0]?.start ?? null, buckets },
    topEvents: sortedCounts(byLabel).slice(0, TOP_EVENTS).map(([name, count]) => ({ name, count })),
    channels: sortedCounts(byChannel).map(([channel, count]) => ({ channel, count })),
    lastEventAt: Number.isFinite(lastEventAt) ? new Date(lastEventAt).toISOString() : null,
  };
}

function newCampaign(id) {
  return {
    id,
    name: null,
    shown: new Set(),
    clicked: new Set(),
    dismissed: new Set(),
    converted: new Set(),
    heldOut: new Set(),
    holdoutConverted: new Set(),
    attribution: { click: 0, decision: 0, report: 0 },
    revenue: new Map(),
    orders: new Map(),
    // variant id ("holdout" for the control group) -> { visitors: Map(customer -> first exposure ms), shown, converted }
    groups: new Map(),
  };
}

function group(campaign, id) {
  if (!campaign.groups.has(id)) campaign.groups.set(id, { visitors: new Map(), shown: new Set(), converted: new Set() });
  return campaign.groups.get(id);
}

// Offer events without a decision_id (an older SDK's "decision" conversions) count once per event.
const decisionKey = (props, event) => (isText(props.decision_id) ? props.decision_id : `event:${event.messageId}`);

const rate = (part, whole) => (whole > 0 ? part / whole : null);

function variantRows(campaign, ordersByCustomer) {
  const converters = (visitors) => {
    let count = 0;
    for (const [customer, since] of visitors) {
      if ((ordersByCustomer.get(customer) ?? []).some((t) => t >= since)) count += 1;
    }
    return count;
  };
  const rows = [...campaign.groups].map(([id, g]) => {
    const visitors = g.visitors.size;
    const converted = converters(g.visitors);
    return {
      id,
      holdout: id === 'holdout',
      visitors,
      converters: converted,
      conversionRate: rate(converted, visitors),
      decisions: g.shown.size,
      offerConversions: g.converted.size,
    };
  });
  const control = rows.find((row) => row.holdout);
  for (const row of rows) {
    row.lift = !row.holdout && control && control.conversionRate > 0 && row.conversionRate !== null
      ? row.conversionRate / control.conversionRate - 1
      : null;
  }
  return rows.sort((a, b) => Number(a.holdout) - Number(b.holdout) || a.id.localeCompare(b.id));
}

/**
 * Per campaign (by `campaign_id` of the Offer events):
 * - funnel: distinct decisions (`decision_id`) with Offer Shown / Clicked / Dismissed / Converted
 *   (holdout false), and Offer Held Out / Offer Converted with holdout true;
 * - variants: each customer joins the group of their first Offer Shown (its `variant_id`) or
 *   Offer Held Out ("holdout") of the campaign; a converter placed an Order Completed at or after
 *   that first exposure; lift = variant rate / holdout rate - 1;
 * - revenue: sum of `revenue` of Offer Converted with attribution "click", per currency.
 */
export function campaignStats(events, { now = Date.now(), identity = buildIdentity(events) } = {}) {
  const campaigns = new Map();
  const ordersByCustomer = new Map();
  for (const { event, time } of identity.timeline) {
    const customer = identity.keyOf(event);
    if (event.type === 'track' && event.event === 'Order Completed' && customer !== null && Number.isFinite(time)) {
      if (!ordersByCustomer.has(customer)) ordersByCustomer.set(customer, []);
      ordersByCustomer.get(customer).push(time);
      continue;
    }
    const props = offerProps(event);
    if (props === null) continue;
    if (!campaigns.has(props.campaign_id)) campaigns.set(props.campaign_id, newCampaign(props.campaign_id));
    const campaign = campaigns.get(props.campaign_id);
    if (isText(props.campaign_name)) campaign.name = props.campaign_name;
    const decision = decisionKey(props, event);
    const heldOut = props.holdout === true;
    const groupId = heldOut ? 'holdout' : (isText(props.variant_id) ? props.variant_id : 'default');
    switch (event.event) {
      case 'Offer Shown':
      case 'Offer Held Out': {
        if (event.event === 'Offer Shown' && heldOut) break; // never sent by the SDK; not a real exposure
        (heldOut ? campaign.heldOut : campaign.shown).add(decision);
        const g = group(campaign, groupId);
        g.shown.add(decision);
        if (customer !== null && Number.isFinite(time) && ![...campaign.groups.values()].some((x) => x.visitors.has(customer))) {
          g.visitors.set(customer, time);
        }
        break;
      }
      case 'Offer Clicked':
        campaign.clicked.add(decision);
        break;
      case 'Offer Dismissed':
        campaign.dismissed.add(decision);
        break;
      case 'Offer Converted': {
        (heldOut ? campaign.holdoutConverted : campaign.converted).add(decision);
        group(campaign, groupId).converted.add(decision);
        if (props.attribution in campaign.attribution) campaign.attribution[props.attribution] += 1;
        const revenue = numberOrNull(props.revenue);
        if (!heldOut && props.attribution === 'click' && revenue !== null) {
          const currency = isText(props.currency) ? props.currency.toUpperCase() : 'XXX';
          increment(campaign.revenue, currency, revenue);
          increment(campaign.orders, currency);
        }
        break;
      }
      default:
        break;
    }
  }

  const totals = new Map();
  const rows = [...campaigns.values()].map((c) => {
    for (const [currency, amount] of c.revenue) increment(totals, currency, amount);
    return {
      id: c.id,
      name: c.name,
      funnel: {
        shown: c.shown.size,
        clicked: c.clicked.size,
        converted: c.converted.size,
        dismissed: c.dismissed.size,
        heldOut: c.heldOut.size,
        holdoutConverted: c.holdoutConverted.size,
      },
      rates: { click: rate(c.clicked.size, c.shown.size), conversion: rate(c.converted.size, c.shown.size) },
      attribution: c.attribution,
      revenue: [...c.revenue].map(([currency, amount]) => ({ currency, amount: cents(amount), orders: c.orders.get(currency) }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      variants: variantRows(c, ordersByCustomer),
    };
  }).sort((a, b) => b.funnel.shown - a.funnel.shown || a.id.localeCompare(b.id));

  return {
    generatedAt: new Date(now).toISOString(),
    campaigns: rows,
    revenue: [...totals].map(([currency, amount]) => ({ currency, amount: cents(amount) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

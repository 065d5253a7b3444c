// The dashboard's numbers on fixture events: traffic per minute, funnels by distinct decision,
// variant conversion and lift against the holdout, click-attributed revenue, merged identities,
// journeys across channels, and the CSV writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignStats, overview } from '../../demo/collector/stats.mjs';
import { buildIdentity } from '../../demo/collector/identity.mjs';
import { customerJourney, listCustomers } from '../../demo/collector/journey.mjs';
import { channelOf, eventTime } from '../../demo/collector/event-fields.mjs';
import { csvCell, toCsv } from '../../demo/collector/csv.mjs';

const NOW = Date.parse('2026-11-24T18:00:30.000Z');
const at = (minutesAgo) => new Date(NOW - minutesAgo * 60_000).toISOString();
let seq = 0;

function track(event, { ago = 1, aid = 'a-1', uid, props = {}, context = {} } = {}) {
  seq += 1;
  return {
    type: 'track', event, messageId: `m-${seq}`, anonymousId: aid, ...(uid ? { userId: uid } : {}),
    timestamp: at(ago), properties: props, context,
  };
}

const offer = (name, campaign, decision, extra = {}) => ({
  campaign_id: campaign, campaign_name: `${campaign} name`, variant_id: 'a', placement: 'modal', holdout: false,
  ruleset_revision: 'r1', decision_id: decision, ...extra,
});

test('overview: per-minute buckets over the window, totals, sessions and channels', () => {
  const events = [
    track('Product Viewed', { ago: 0.2, context: { session: { id: 's1' } } }),
    track('Product Viewed', { ago: 0.4, context: { session: { id: 's1' } } }),
    track('Product Added', { ago: 2.1, aid: 'a-2', context: { session: { id: 's2', campaign: { source: 'email', medium: 'email' } } } }),
    track('Product Added', { ago: 45 }), // outside the 30-minute window
    { ...track('Cart Viewed'), timestamp: undefined, receivedAt: at(0.1) }, // no client time: receivedAt counts
  ];
  const result = overview(events, { now: NOW, minutes: 30 });
  assert.equal(result.perMinute.buckets.length, 30);
  assert.equal(result.perMinute.buckets.at(-1).start, '2026-11-24T18:00:00.000Z');
  assert.equal(result.perMinute.from, '2026-11-24T17:31:00.000Z');
  assert.equal(result.perMinute.buckets.at(-1).count, 3);
  assert.equal(result.perMinute.buckets.at(-3).count, 1);
  assert.equal(result.perMinute.buckets.reduce((s, b) => s + b.count, 0), 4);
  assert.equal(result.totals.events, 5);
  assert.equal(result.totals.sessions, 2);
  assert.equal(result.totals.customers, 2);
  assert.deepEqual(result.channels, [{ channel: 'web', count: 4 }, { channel: 'email', count: 1 }]);
  assert.deepEqual(result.topEvents[0], { name: 'Product Added', count: 2 });
});

test('funnel: distinct decisions per step, held-out apart, repeats counted once', () => {
  const events = [
    track('Offer Shown', { props: offer('Offer Shown', 'cart-reminder', 'd1') }),
    track('Offer Shown', { props: offer('Offer Shown', 'cart-reminder', 'd1') }), // same decision again (another tab)
    track('Offer Shown', { aid: 'a-2', props: offer('Offer Shown', 'cart-reminder', 'd2') }),
    track('Offer Shown', { aid: 'a-3', props: offer('Offer Shown', 'cart-reminder', 'd3') }),
    track('Offer Clicked', { props: offer('', 'cart-reminder', 'd1') }),
    track('Offer Clicked', { props: offer('', 'cart-reminder', 'd1') }),
    track('Offer Dismissed', { aid: 'a-2', props: offer('', 'cart-reminder', 'd2') }),
    track('Offer Converted', { props: offer('', 'cart-reminder', 'd1', { attribution: 'click', revenue: 35.15, currency: 'EUR', order_id: 'o1' }) }),
    track('Offer Held Out', { aid: 'a-4', props: offer('', 'cart-reminder', 'd4', { holdout: true, variant_id: null }) }),
    track('Offer Converted', { aid: 'a-4', props: offer('', 'cart-reminder', 'd4', { holdout: true, variant_id: null, attribution: 'decision' }) }),
    track('Offer Shown', { props: offer('', 'cross-sell', 'x1') }),
    track('Offer Converted', { props: { ...offer('', 'cross-sell', undefined, { attribution: 'decision' }), decision_id: undefined } }),
    track('Product Viewed', { props: { campaign_id: 'not-an-offer-event' } }),
  ];
  const { campaigns } = campaignStats(events, { now: NOW });
  assert.deepEqual(campaigns.map((c) => c.id), ['cart-reminder', 'cross-sell']);
  const [reminder, crossSell] = campaigns;
  assert.equal(reminder.name, 'cart-reminder name');
  assert.deepEqual(reminder.funnel, { shown: 3, clicked: 1, converted: 1, dismissed: 1, heldOut: 1, holdoutConverted: 1 });
  assert.deepEqual(reminder.rates, { click: 1 / 3, conversion: 1 / 3 });
  assert.deepEqual(reminder.attribution, { click: 1, decision: 1, report: 0 });
  assert.deepEqual(crossSell.funnel.converted, 1, 'a conversion without decision_id counts once per event');
});

test('revenue: click-attributed conversions only, per currency, rounded to cents', () => {
  const conv = (decision, revenue, currency, attribution = 'click') => track('Offer Converted', {
    props: offer('', 'cart-reminder', decision, { attribution, revenue, currency }),
  });
  const events = [
    conv('d1', 0.1, 'EUR'), conv('d2', 0.2, 'eur'), conv('d3', 12, 'USD'),
    conv('d4', 99, 'EUR', 'decision'), conv('d5', 99, 'EUR', 'report'),
    track('Offer Converted', { props: offer('', 'banner', 'b1', { attribution: 'click', revenue: 5, currency: 'EUR' }) }),
  ];
  const result = campaignStats(events, { now: NOW });
  const reminder = result.campaigns.find((c) => c.id === 'cart-reminder');
  assert.deepEqual(reminder.revenue, [{ currency: 'EUR', amount: 0.3, orders: 2 }, { currency: 'USD', amount: 12, orders: 1 }]);
  assert.deepEqual(result.revenue, [{ currency: 'EUR', amount: 5.3 }, { currency: 'USD', amount: 12 }]);
});

test('variants: first exposure decides the group, an order at or after it converts, lift against the holdout', () => {
  const shown = (aid, variant, ago, uid) => track('Offer Shown', {
    aid, uid, ago, props: offer('', 'ab', `d-${aid}-${ago}`, { variant_id: variant }),
  });
  const held = (aid, ago) => track('Offer Held Out', { aid, ago, props: offer('', 'ab', `h-${aid}`, { variant_id: null, holdout: true }) });
  const order = (aid, ago, uid) => track('Order Completed', { aid, uid, ago, props: { order_id: `o-${aid}`, revenue: 10 } });
  const events = [
    // variant a: 4 visitors, 2 order afterwards (one of them logged in on the order: same customer)
    shown('v1', 'a', 50), order('v1', 40),
    shown('v2', 'a', 50), order('v2', 30, 'user-2'),
    shown('v3', 'a', 50), order('v3', 55), // ordered before seeing the offer: not a conversion
    shown('v4', 'a', 50), shown('v4', 'b', 20), // a later exposure to b does not move v4
    // variant b: 2 visitors, 2 order
    shown('w1', 'b', 50), order('w1', 10),
    shown('w2', 'b', 50), order('w2', 10), order('w2', 5),
    // holdout: 4 visitors, 1 orders
    held('h1', 50), order('h1', 49), held('h2', 50), held('h3', 50), held('h4', 50),
  ];
  const [ab] = campaignStats(events, { now: NOW }).campaigns;
  const byId = Object.fromEntries(ab.variants.map((v) => [v.id, v]));
  assert.deepEqual(ab.variants.map((v) => v.id), ['a', 'b', 'holdout']);
  assert.deepEqual([byId.a.visitors, byId.a.converters, byId.a.conversionRate], [4, 2, 0.5]);
  assert.deepEqual([byId.b.visitors, byId.b.converters, byId.b.conversionRate], [2, 2, 1]);
  assert.deepEqual([byId.holdout.visitors, byId.holdout.converters, byId.holdout.conversionRate], [4, 1, 0.25]);
  assert.equal(byId.a.lift, 1);
  assert.equal(byId.b.lift, 3);
  assert.equal(byId.holdout.lift, null);
  assert.equal(byId.b.decisions, 3, 'decisions count every distinct shown decision of the variant');
  assert.equal(ab.funnel.heldOut, 4);
});

test('variants: no lift without a holdout or when nobody in it converted', () => {
  const events = [
    track('Offer Shown', { aid: 'x', props: offer('', 'c', 'd1') }),
    track('Order Completed', { aid: 'x', ago: 0.5 }),
    track('Offer Held Out', { aid: 'y', props: offer('', 'c', 'd2', { holdout: true, variant_id: null }) }),
  ];
  const [c] = campaignStats(events, { now: NOW }).campaigns;
  assert.equal(c.variants[0].conversionRate, 1);
  assert.equal(c.variants[0].lift, null);
  const [alone] = campaignStats(events.slice(0, 2), { now: NOW }).campaigns;
  assert.deepEqual(alone.variants.map((v) => [v.id, v.lift]), [['a', null]]);
});

test('identity: an anonymous id seen with a user id belongs to that user, before and after; alias follows', () => {
  const events = [
    track('Product Viewed', { ago: 10, aid: 'phone' }),
    { ...track('x', { ago: 9, aid: 'phone', uid: 'u-1' }), type: 'identify', event: undefined, traits: { email: 'ana@example.com' } },
    track('Product Viewed', { ago: 8, aid: 'laptop' }),
    track('Product Viewed', { ago: 7, aid: 'laptop', uid: 'u-1' }),
    track('Product Viewed', { ago: 6, aid: 'stranger' }),
    { ...track('x', { ago: 5, aid: 'phone', uid: 'u-1b' }), type: 'alias', event: undefined, previousId: 'u-1' },
    track('Product Viewed', { ago: 4, aid: 'phone', uid: 'u-1b' }),
  ];
  const identity = buildIdentity(events);
  assert.deepEqual([...identity.customers.keys()].sort(), ['a:stranger', 'u:u-1b']);
  const ana = identity.customers.get('u:u-1b');
  assert.deepEqual(ana.anonymousIds, ['phone', 'laptop']);
  assert.equal(ana.email, 'ana@example.com');
  assert.equal(ana.events, 6);
  for (const id of ['phone', 'laptop', 'u-1', 'u-1b', 'u:u-1b']) assert.equal(identity.resolve(id), 'u:u-1b', id);
  assert.equal(identity.resolve('nobody'), null);
  assert.deepEqual(listCustomers(events, { query: 'ANA@' }).customers.map((c) => c.key), ['u:u-1b']);
  assert.equal(listCustomers(events).total, 2);
});

test('journey: one customer across web, webview and email visits in time order', () => {
  const email = { session: { id: 's-mail', campaign: { source: 'email', medium: 'email', name: 'cart_reminder' } } };
  const events = [
    track('Order Completed', { ago: 1, aid: 'app', uid: 'u-7', context: { channel: 'webview', session: { id: 's-app' } } }),
    track('Product Added', { ago: 30, aid: 'web', props: { product_id: 'mug', name: 'Mug', quantity: 1 }, context: { session: { id: 's-web' } } }),
    track('Product Viewed', { ago: 5, aid: 'web', uid: 'u-7', context: email }),
    track('Product Viewed', { ago: 3, aid: 'other' }),
    track('Cart Viewed', { ago: 2, aid: 'app', context: { channel: { name: 'WebView' }, session: { id: 's-app' } } }),
  ];
  const journey = customerJourney(events, 'web');
  assert.equal(journey.customer.userId, 'u-7');
  assert.deepEqual(journey.events.map((e) => [e.label, e.channel]), [
    ['Product Added', 'web'], ['Product Viewed', 'email'], ['Cart Viewed', 'webview'], ['Order Completed', 'webview'],
  ]);
  assert.equal(journey.sessions, 3);
  assert.deepEqual(journey.events[0].details, { product_id: 'mug', name: 'Mug', quantity: 1 });
  assert.deepEqual(journey.events[1].campaign, { source: 'email', medium: 'email', name: 'cart_reminder' });
  assert.deepEqual(journey.customer.channels.sort(), ['email', 'web', 'webview']);
  assert.equal(customerJourney(events, 'nobody'), null);
});

test('event fields: time falls back to receivedAt; channel from context.channel, then the session campaign', () => {
  assert.equal(eventTime({ timestamp: 'garbage', receivedAt: at(0) }), NOW);
  assert.ok(Number.isNaN(eventTime({})));
  assert.equal(channelOf({ context: { campaign: { medium: 'EMAIL' } } }), 'email');
  assert.equal(channelOf({ context: { session: { campaign: { source: 'newsletter', medium: 'cpc' } }, campaign: { medium: 'email' } } }), 'web',
    'the session campaign wins over the page campaign');
  assert.equal(channelOf({ context: { channel: 'web', session: { campaign: { source: 'email' } } } }), 'email');
  assert.equal(channelOf({ context: { channel: 'webview' } }), 'webview');
  assert.equal(channelOf({ context: { channel: 'ios-webview', session: { campaign: { source: 'email' } } } }), 'ios-webview',
    'an app webview stays a webview visit even when opened from an email');
  assert.equal(channelOf({}), 'web');
});

test('csv: RFC 4180 quoting, CRLF lines, formula-looking text defused', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=HYPERLINK("http://evil")'), '"\'=HYPERLINK(""http://evil"")"');
  for (const start of ['+', '-', '@', '\t']) assert.equal(csvCell(`${start}1`).replace(/^"|"$/g, '').startsWith(`'${start}`), true, start);
  assert.equal(csvCell(-3.5), '-3.5', 'numbers the collector computed are not text from a visitor');
  assert.equal(csvCell(null), '');
  assert.equal(toCsv([{ a: 1, b: 'x' }], [['a', (r) => r.a], ['b', (r) => r.b]]), 'a,b\r\n1,x\r\n');
});

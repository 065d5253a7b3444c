// Renders the numeric panels from the collector's JSON: campaign funnels, variants and lift,
// revenue, cart abandoners. Every count sits in an element with a stable data-testid.
import { drawFunnel } from './charts.js';
import {
  el, integer, money, percent, row, signedPercent, slug, time,
} from './dom.js';

const FUNNEL_STEPS = [
  ['shown', 'Shown'],
  ['clicked', 'Clicked'],
  ['converted', 'Converted'],
];
const SIDE_COUNTS = [
  ['dismissed', 'Dismissed'],
  ['heldOut', 'Held out'],
  ['holdoutConverted', 'Held out, converted'],
];

/** One card per campaign: funnel bars plus a table of the same counts. */
export function renderFunnels(container, campaigns) {
  if (campaigns.length === 0) {
    container.replaceChildren(el('p', { class: 'empty' }, 'No offer events yet. Open the shop and trigger a campaign.'));
    return;
  }
  container.replaceChildren(...campaigns.map((c) => {
    const id = slug(c.id);
    const headingId = `funnel-${id}-h`;
    const table = el('table', { 'aria-labelledby': headingId },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Step'), el('th', { scope: 'col', class: 'num' }, 'Decisions'),
        el('th', { scope: 'col', class: 'num' }, 'Of shown'))),
      el('tbody', {},
        ...FUNNEL_STEPS.map(([step, label]) => row([
          { header: true, text: label },
          { class: 'num', testid: `funnel-${id}-${step.toLowerCase()}`, text: integer.format(c.funnel[step]) },
          { class: 'num', text: step === 'shown' ? '' : percent(c.funnel.shown > 0 ? c.funnel[step] / c.funnel.shown : null) },
        ])),
        ...SIDE_COUNTS.map(([step, label]) => row([
          { header: true, text: label, class: 'secondary' },
          { class: 'num secondary', testid: `funnel-${id}-${step.toLowerCase()}`, text: integer.format(c.funnel[step]) },
          { class: 'num secondary', text: '' },
        ]))));
    return el('article', { class: 'funnel', 'data-testid': `funnel-${id}` },
      el('h3', { id: headingId }, c.name ?? c.id, c.name ? el('span', { class: 'muted id' }, ` ${c.id}`) : null),
      drawFunnel(FUNNEL_STEPS.map(([step, label]) => ({ label, value: c.funnel[step] }))),
      table);
  }));
}

export function renderVariants(tbody, campaigns) {
  const rows = campaigns.flatMap((c) => c.variants.map((v) => {
    const prefix = `variant-${slug(c.id)}-${slug(v.id)}`;
    return row([
      { header: true, text: c.name ?? c.id },
      v.holdout ? { node: el('span', { class: 'badge holdout' }, 'holdout') } : v.id,
      { class: 'num', testid: `${prefix}-visitors`, text: integer.format(v.visitors) },
      { class: 'num', testid: `${prefix}-converters`, text: integer.format(v.converters) },
      { class: 'num', testid: `${prefix}-rate`, text: percent(v.conversionRate) },
      { class: `num ${v.lift > 0 ? 'up' : v.lift < 0 ? 'down' : ''}`, testid: `${prefix}-lift`, text: v.holdout ? 'baseline' : signedPercent(v.lift) },
    ]);
  }));
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No exposures yet.'))]));
}

export function renderRevenue(table, stats) {
  const rows = stats.campaigns.flatMap((c) => c.revenue.map((r) => row([
    { header: true, text: c.name ?? c.id },
    r.currency,
    { class: 'num', testid: `revenue-${slug(c.id)}-${slug(r.currency)}-orders`, text: integer.format(r.orders) },
    { class: 'num', testid: `revenue-${slug(c.id)}-${slug(r.currency)}`, text: money(r.amount, r.currency) },
  ])));
  table.tBodies[0].replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No click-attributed orders yet.'))]));
  table.tFoot.replaceChildren(...stats.revenue.map((r) => el('tr', {},
    el('th', { scope: 'row', colspan: 3 }, `Total ${r.currency}`),
    el('td', { class: 'num', 'data-testid': `revenue-total-${slug(r.currency)}` }, money(r.amount, r.currency)))));
}

/** Absolute form of the email link, for copying into a mail. */
const absolute = (link) => new URL(link, location.origin).href;

export function renderAbandoners(tbody, audience) {
  const rows = audience.customers.map((c) => {
    const who = c.userId ?? c.anonymousId;
    const cart = c.items.map((l) => `${l.quantity} × ${l.name ?? l.product_id ?? l.sku}`).join(', ');
    return el('tr', { 'data-testid': 'abandoner', 'data-customer': who },
      el('th', { scope: 'row' }, el('code', {}, who), c.userId ? null : el('span', { class: 'muted' }, ' (anonymous)')),
      el('td', {}, c.email ?? el('span', { class: 'muted' }, 'unknown')),
      el('td', {}, cart),
      el('td', { class: 'num' }, c.currency ? money(c.value, c.currency) : c.value.toFixed(2)),
      el('td', {}, time(c.lastSeen)),
      el('td', {}, el('a', { href: absolute(c.emailLink), 'data-testid': 'abandoner-email-link', class: 'email-link' }, 'Open as this customer')));
  });
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'Nobody right now.'))]));
}

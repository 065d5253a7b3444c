// Customer-journey panel: pick a customer (user id, anonymous id or email) and list their events
// across web, webview and email visits in time order, one group per session.
import { getJson } from './api.js';
import { el, time } from './dom.js';

function describe(step) {
  const d = step.details;
  const parts = [];
  if (d.name) parts.push(d.name);
  else if (d.product_id) parts.push(d.product_id);
  if (d.quantity !== undefined) parts.push(`× ${d.quantity}`);
  if (d.order_id) parts.push(`order ${d.order_id}`);
  if (d.revenue ?? d.total) parts.push(`${d.revenue ?? d.total}${d.currency ? ` ${d.currency}` : ''}`);
  if (d.campaign_id) parts.push(`${d.campaign_id}${d.variant_id ? ` / ${d.variant_id}` : ''}${d.holdout ? ' (holdout)' : ''}`);
  if (d.attribution) parts.push(`by ${d.attribution}`);
  return parts.join(' · ');
}

function sessionLabel(step) {
  const c = step.campaign;
  const from = c ? ` from ${[c.source, c.medium, c.name].filter(Boolean).join(' / ')}` : '';
  return `${step.channel} visit${from}`;
}

export function renderJourney(container, journey) {
  const c = journey.customer;
  const header = el('div', { class: 'journey-head', 'data-testid': 'journey-customer' },
    el('h3', {}, c.userId ?? c.anonymousIds[0] ?? c.key),
    el('p', { class: 'muted' },
      `${journey.events.length} events · ${journey.sessions} sessions · channels: ${c.channels.join(', ')}`,
      c.email ? ` · ${c.email}` : '',
      c.anonymousIds.length > 0 ? ` · anonymous ids: ${c.anonymousIds.join(', ')}` : ''));
  const groups = [];
  let current = null;
  for (const step of journey.events) {
    const key = `${step.sessionId ?? 'none'}|${step.channel}`;
    if (!current || current.key !== key) {
      current = { key, step, items: [] };
      groups.push(current);
    }
    current.items.push(el('li', { 'data-testid': 'journey-event', 'data-channel': step.channel, 'data-message-id': step.messageId },
      el('time', { datetime: step.time }, time(step.time)), ' ',
      el('strong', {}, step.label), ' ',
      el('span', { class: 'muted' }, describe(step))));
  }
  const list = el('ol', { class: 'journey' }, ...groups.map((g) => el('li', { class: `visit channel-${g.step.channel}` },
    el('p', { class: 'visit-head' }, el('span', { class: `badge ${g.step.channel}` }, g.step.channel), ' ', sessionLabel(g.step)),
    el('ol', {}, ...g.items))));
  const notes = journey.truncated ? el('p', { class: 'muted' }, 'Only the most recent events are listed.') : null;
  container.replaceChildren(header, notes ?? '', list);
}

/** Wires the form: fills the datalist with recent customers, shows the chosen journey. */
export function setupJourney({ form, input, datalist, container, onError }) {
  async function refreshCustomers() {
    try {
      const { customers } = await getJson('/v1/customers', { limit: 50 });
      datalist.replaceChildren(...customers.map((c) => el('option', {
        value: c.userId ?? c.anonymousIds[0],
        label: [c.email, c.channels.join('+'), `${c.events} events`].filter(Boolean).join(' · '),
      })));
    } catch (err) {
      onError(err);
    }
  }
  async function show(id) {
    try {
      const res = await getJson(`/v1/customers/${encodeURIComponent(id)}/journey`);
      renderJourney(container, res);
    } catch (err) {
      container.replaceChildren(el('p', { class: 'empty', role: 'alert' }, err.message));
      onError(err, { quiet: true });
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = input.value.trim();
    if (id) {
      const url = new URL(location.href);
      url.searchParams.set('customer', id);
      history.replaceState(null, '', url);
      show(id);
    }
  });
  const initial = new URLSearchParams(location.search).get('customer');
  if (initial) {
    input.value = initial;
    show(initial);
  }
  return { refreshCustomers, show };
}

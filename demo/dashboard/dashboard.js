// Dashboard entry: loads the panels from the collector's JSON, follows the live stream, and
// refreshes the numbers (at most every 2 s) while events arrive.
import {
  AuthError, getJson, openStream, setKey, withKey,
} from './api.js';
import { drawBarChart } from './charts.js';
import { el, integer, money, time } from './dom.js';
import { setupJourney } from './journey.js';
import {
  renderAbandoners, renderFunnels, renderRevenue, renderVariants,
} from './panels.js';

const STREAM_LIMIT = 100;
const REFRESH_MIN_GAP_MS = 2000;
const $ = (id) => document.getElementById(id);

const status = $('stream-status');
let paused = false;
let source = null;
let lastBuckets = null;

function setStatus(text, ok) {
  status.textContent = text;
  status.dataset.state = ok ? 'live' : 'down';
}

function showKeyForm() {
  $('key-form').hidden = false;
  setStatus('Write key needed', false);
  $('key-input').focus();
}

function reportError(err, { quiet = false } = {}) {
  if (err instanceof AuthError) {
    showKeyForm();
    return;
  }
  if (!quiet) setStatus(`Error: ${err.message}`, false);
}

function streamItem(event) {
  const who = event.userId ?? event.anonymousId ?? '';
  const name = event.type === 'track' ? event.event : event.type === 'page' ? `page ${event.name ?? event.properties?.path ?? ''}` : event.type;
  const declared = typeof event.context?.channel === 'string' ? event.context.channel.toLowerCase() : 'web';
  const campaign = event.context?.session?.campaign ?? event.context?.campaign ?? {};
  const fromEmail = [campaign.source, campaign.medium].some((v) => typeof v === 'string' && v.toLowerCase() === 'email');
  // The same rule as the collector's channelOf(): a declared app channel, else an email visit, else web.
  const channelName = declared !== 'web' ? declared : fromEmail ? 'email' : 'web';
  return el('li', { 'data-testid': 'stream-item', 'data-message-id': event.messageId },
    el('time', { datetime: event.timestamp ?? event.receivedAt }, time(event.timestamp ?? event.receivedAt)),
    el('span', { class: `badge ${channelName}` }, channelName),
    el('strong', {}, name),
    el('button', { type: 'button', class: 'who', 'data-customer': who, title: 'Show this customer’s journey' }, who.slice(0, 12)));
}

function addToStream(events) {
  if (paused) return;
  const list = $('stream-list');
  for (const event of events) list.prepend(streamItem(event));
  while (list.children.length > STREAM_LIMIT) list.lastElementChild.remove();
}

async function refreshNumbers() {
  const inactiveMinutes = Number($('inactive-minutes').value) || 0;
  const [overview, campaigns, audience] = await Promise.all([
    getJson('/v1/stats/overview', { minutes: 30 }),
    getJson('/v1/stats/campaigns'),
    getJson('/v1/audiences/cart-abandoners', { inactiveMinutes }),
  ]);
  $('kpi-events').textContent = integer.format(overview.totals.events);
  $('kpi-customers').textContent = integer.format(overview.totals.customers);
  $('kpi-sessions').textContent = integer.format(overview.totals.sessions);
  $('kpi-revenue').textContent = campaigns.revenue.length === 0 ? '–' : campaigns.revenue.map((r) => money(r.amount, r.currency)).join(' + ');
  lastBuckets = overview.perMinute.buckets;
  drawBarChart($('traffic-chart'), lastBuckets);
  renderFunnels($('funnels'), campaigns.campaigns);
  renderVariants($('variants').tBodies[0], campaigns.campaigns);
  renderRevenue($('revenue'), campaigns);
  renderAbandoners($('abandoners').tBodies[0], audience);
  $('abandoners-count').textContent = `(${audience.count})`;
  $('abandoners-csv').href = withKey('/v1/audiences/cart-abandoners', { format: 'csv', inactiveMinutes });
  document.body.dataset.loaded = String(overview.totals.events);
}

// Refresh at most every REFRESH_MIN_GAP_MS, and never two at once.
let running = null;
let again = false;
let lastRun = 0;
function scheduleRefresh() {
  if (running) {
    again = true;
    return;
  }
  const wait = Math.max(0, lastRun + REFRESH_MIN_GAP_MS - Date.now());
  running = new Promise((resolve) => setTimeout(resolve, wait))
    .then(() => {
      lastRun = Date.now();
      return refreshNumbers();
    })
    .then(() => journey.refreshCustomers())
    .catch(reportError)
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        scheduleRefresh();
      }
    });
}

const journey = setupJourney({
  form: $('journey-form'), input: $('journey-id'), datalist: $('journey-customers'), container: $('journey'), onError: reportError,
});

function start() {
  source?.close();
  source = openStream({
    onEvents(events) {
      addToStream(events);
      scheduleRefresh();
    },
    onStatus: setStatus,
  });
  scheduleRefresh();
}

$('stream-pause').addEventListener('click', (event) => {
  paused = !paused;
  event.currentTarget.setAttribute('aria-pressed', String(paused));
  event.currentTarget.textContent = paused ? 'Resume' : 'Pause';
});
$('stream-list').addEventListener('click', (event) => {
  const id = event.target.closest('button[data-customer]')?.dataset.customer;
  if (!id) return;
  $('journey-id').value = id;
  $('journey-form').requestSubmit();
  $('journey-h').scrollIntoView({ behavior: 'smooth' });
});
$('abandoners-form').addEventListener('submit', (event) => event.preventDefault());
$('inactive-minutes').addEventListener('change', scheduleRefresh);
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setKey($('key-input').value.trim());
  $('key-form').hidden = true;
  start();
});
let resizeTimer;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (lastBuckets) drawBarChart($('traffic-chart'), lastBuckets); }, 150);
});
// Refresh the numbers once a minute even when quiet: the chart's window and "inactive" move on.
setInterval(scheduleRefresh, 60_000);
start();

// Plain SVG charts built with DOM calls (no library, works offline): a bar chart of counts over
// time and horizontal funnel bars. Each chart has a text alternative: an accessible label with
// the summary, and the numbers themselves in a table screen readers can browse.

const SVG = 'http://www.w3.org/2000/svg';

function svgNode(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [attr, value] of Object.entries(attrs)) node.setAttribute(attr, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The y-axis maximum: a round number at least `max` (1, 2, 5 × 10^n), so ticks read well. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= max);
}

const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * Draws `buckets` ([{ start, count }]) as bars into `figure`, replacing what was there.
 * The SVG scales with its container (viewBox); the figcaption-linked table carries the data.
 */
export function drawBarChart(figure, buckets, { label = 'Events per minute' } = {}) {
  // Drawn at the figure's own width so the axis text keeps its size on a phone.
  const width = Math.max(280, Math.min(1200, figure.clientWidth || 600));
  const labelEvery = width < 480 ? 10 : 5;
  const height = 180;
  const pad = { top: 12, right: 8, bottom: 24, left: 32 };
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.count)));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const step = plotW / Math.max(1, buckets.length);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const peak = buckets.reduce((best, b) => (b.count > (best?.count ?? -1) ? b : best), null);
  const summary = buckets.length === 0 ? 'No data.'
    : `${total} events in ${buckets.length} minutes, from ${clock(buckets[0].start)}; busiest minute ${clock(peak.start)} with ${peak.count}.`;

  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${label}: ${summary}`, class: 'bars' });
  for (const fraction of [0, 0.5, 1]) {
    const y = pad.top + plotH * (1 - fraction);
    svg.append(svgNode('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid-line' }));
    svg.append(svgNode('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, String(max * fraction)));
  }
  buckets.forEach((bucket, i) => {
    const h = (bucket.count / max) * plotH;
    const bar = svgNode('rect', {
      x: pad.left + i * step + step * 0.15, y: pad.top + plotH - h, width: step * 0.7, height: Math.max(h, 0), rx: 2, class: 'bar',
    });
    bar.append(svgNode('title', {}, `${clock(bucket.start)}: ${bucket.count}`));
    svg.append(bar);
    const last = i === buckets.length - 1;
    if ((i % labelEvery === 0 && buckets.length - i > labelEvery / 2) || last) {
      // The last label ends at the plot's edge so it is never cut off.
      const x = last ? width - pad.right : pad.left + i * step + step / 2;
      svg.append(svgNode('text', { x, y: height - 6, 'text-anchor': last ? 'end' : 'middle', class: 'tick' }, clock(bucket.start)));
    }
  });

  const caption = document.createElement('figcaption');
  caption.className = 'visually-hidden';
  caption.textContent = summary;
  const details = document.createElement('details');
  const toggle = document.createElement('summary');
  toggle.textContent = 'Show the numbers';
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th scope="col">Minute</th><th scope="col" class="num">Events</th></tr></thead>';
  const body = table.createTBody();
  for (const bucket of buckets) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = clock(bucket.start);
    row.append(th);
    const cell = row.insertCell();
    cell.className = 'num';
    cell.textContent = String(bucket.count);
  }
  details.append(toggle, table);
  figure.replaceChildren(svg, caption, details);
}

/**
 * Horizontal funnel bars for `steps` ([{ label, value }]); widths relative to the first step.
 * Decorative (aria-hidden): the same numbers are in the funnel's table next to it.
 */
export function drawFunnel(steps) {
  const width = 300;
  const rowH = 26;
  const first = Math.max(1, steps[0]?.value ?? 0);
  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${steps.length * rowH}`, 'aria-hidden': 'true', class: 'funnel-bars', focusable: 'false' });
  steps.forEach((s, i) => {
    const w = Math.max(2, (s.value / first) * width);
    svg.append(svgNode('rect', { x: (width - w) / 2, y: i * rowH + 3, width: w, height: rowH - 6, rx: 3, class: `funnel-step step-${i}` }));
  });
  return svg;
}

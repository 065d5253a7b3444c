// Tiny DOM helpers for the dashboard. Text always goes in as textContent: event data is
// untrusted (anyone with the write key can post any string), so no innerHTML with data.

/** el('td', { class: 'num', 'data-testid': 'x' }, 'text', childNode, ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** The part of a data-testid taken from an id: lower case, runs of other characters become "-". */
export function slug(id) {
  return String(id).toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '') || 'none';
}

export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function percent(rate) {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)}%`;
}

export function signedPercent(rate) {
  if (rate === null || rate === undefined) return '–';
  return `${rate >= 0 ? '+' : '−'}${Math.abs(rate * 100).toFixed(1)}%`;
}

export function money(amount, currency) {
  if (!/^[A-Z]{3}$/.test(currency ?? '')) return `${amount.toFixed(2)}${currency ? ` ${currency}` : ''}`;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

export function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString() : date.toLocaleString();
}

/** A table row of cells; a cell is text or { text, class, testid, header }. */
export function row(cells) {
  return el('tr', {}, ...cells.map((cell) => {
    const c = typeof cell === 'object' && cell !== null && !(cell instanceof Node) ? cell : { text: cell };
    const tag = c.header ? 'th' : 'td';
    return el(tag, { class: c.class, 'data-testid': c.testid, scope: c.header ? 'row' : undefined }, c.node ?? c.text ?? '');
  }));
}

// Draws an order's totals (subtotal, discount, shipping, total) as a <dl>.
import { formatPrice } from './catalog.mjs';
import { element } from './layout.mjs';

export function drawTotals(list, sums, { coupon, currency = 'EUR' } = {}) {
  const row = (term, value, className = '') => element('div', { class: className },
    element('dt', { text: term }), element('dd', { text: value }));
  const rows = [row('Subtotal', formatPrice(sums.subtotal, currency))];
  if (sums.discount > 0) rows.push(row(`Discount (${coupon})`, `−${formatPrice(sums.discount, currency)}`, 'totals__discount'));
  rows.push(row('Shipping', sums.shipping === 0 ? 'Free' : formatPrice(sums.shipping, currency)));
  rows.push(row('Total (VAT included)', formatPrice(sums.total, currency), 'totals__total'));
  list.replaceChildren(...rows);
}

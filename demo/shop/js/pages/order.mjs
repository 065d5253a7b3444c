// Order confirmation: shows the order the checkout kept in sessionStorage. Order Completed was
// tracked on the checkout page, when the order was placed (it also empties the SDK's cart).
import { formatPrice } from '../catalog.mjs';
import { drawLayout, element } from '../layout.mjs';
import { getParcours } from '../sdk.mjs';
import { drawTotals } from '../totals-view.mjs';

const $ = (id) => document.getElementById(id);

function lastOrder(orderId) {
  try {
    const order = JSON.parse(sessionStorage.getItem('shop:last-order') ?? 'null');
    return order?.order_id === orderId ? order : null;
  } catch {
    return null;
  }
}

drawLayout();
getParcours();
const orderId = new URLSearchParams(location.search).get('order_id') ?? '';
$('order-id').textContent = orderId || '—';
const order = lastOrder(orderId);
if (order) {
  if (order.first_name) $('thanks').textContent = `Thank you, ${order.first_name}!`;
  $('order-lines').replaceChildren(...order.products.map((p) => element('li', {},
    element('span', { text: `${p.quantity} × ${p.name}` }),
    element('span', { text: formatPrice(p.price * p.quantity, order.currency) }))));
  drawTotals($('totals'), order, { coupon: order.coupon, currency: order.currency });
}

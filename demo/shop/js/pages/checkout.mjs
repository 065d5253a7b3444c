// Checkout: Checkout Started on arrival; step 1 (delivery) → Checkout Step Completed and an
// identify() with the email (so audiences know how to reach the customer); step 2 (payment) →
// Payment Info Entered and Checkout Step Completed; "Place order" → Order Completed, then the
// confirmation page.
import { cartProducts, readCart } from '../cart.mjs';
import { formatPrice } from '../catalog.mjs';
import { drawLayout, element } from '../layout.mjs';
import { saveCoupon, savedCoupon, SHIPPING_METHODS, totals } from '../pricing.mjs';
import { getParcours, shopHref } from '../sdk.mjs';
import { drawTotals } from '../totals-view.mjs';
import { showStatus, track } from '../tracking.mjs';

const $ = (id) => document.getElementById(id);
const LAST_ORDER_KEY = 'shop:last-order';

function randomCode(prefix) {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${prefix}-${digits.toUpperCase()}`;
}

function drawShippingChoices() {
  $('shipping-methods').append(...SHIPPING_METHODS.map((method, index) => {
    const input = element('input', { type: 'radio', name: 'shipping_method', value: method.id });
    if (index === 0) input.checked = true;
    const price = method.price === 0 ? 'free' : formatPrice(method.price);
    return element('label', { class: 'choice' }, input, ` ${method.label} (${price})`);
  }));
}

function shippingMethod() {
  return new FormData($('shipping-form')).get('shipping_method') ?? 'standard';
}

async function prefill() {
  const parcours = await getParcours();
  const traits = (await parcours.inspect())?.traits ?? {};
  if (traits.email) $('email').value = traits.email;
  if (traits.first_name) $('first-name').value = traits.first_name;
  if (traits.last_name) $('last-name').value = traits.last_name;
}

async function main() {
  drawLayout();
  drawShippingChoices();
  const cart = await readCart();
  if (cart.items.length === 0) {
    $('checkout-empty').hidden = false;
    return;
  }
  $('checkout-body').hidden = false;
  const currency = cart.currency ?? 'EUR';
  const coupon = savedCoupon();
  const checkoutId = randomCode('CO');
  const products = cartProducts(cart);
  const redraw = () => {
    const sums = totals(cart, coupon, shippingMethod());
    drawTotals($('totals'), sums, { coupon, currency });
    return sums;
  };
  $('summary-lines').replaceChildren(...cart.items.map((line) => element('li', {},
    element('span', { text: `${line.quantity} × ${line.name}` }),
    element('span', { text: formatPrice(line.price * line.quantity, currency) }))));
  let sums = redraw();
  $('shipping-methods').addEventListener('change', () => { sums = redraw(); });
  prefill();

  await track('Checkout Started', {
    checkout_id: checkoutId, value: sums.subtotal, revenue: sums.revenue, total: sums.total, shipping: sums.shipping,
    tax: sums.tax, discount: sums.discount, coupon: coupon ?? undefined, currency, products,
  }, 'checkoutStarted');

  let delivery = null;  // Read once step 1 is done: its fields are disabled (and out of FormData) after.
  $('shipping-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!$('shipping-form').reportValidity()) return;
    const form = new FormData($('shipping-form'));
    delivery = { method: shippingMethod(), firstName: form.get('first_name') };
    const parcours = await getParcours();
    // Traits only: a guest stays anonymous, but the shop now knows how to reach them.
    await parcours.identify({ email: form.get('email'), first_name: form.get('first_name'), last_name: form.get('last_name') });
    await track('Checkout Step Completed', { checkout_id: checkoutId, step: 1, shipping_method: shippingMethod() },
      'checkoutStepCompleted');
    for (const field of $('shipping-form').elements) field.disabled = true;
    $('payment-form').hidden = false;
    $('payment-title').scrollIntoView({ block: 'start', behavior: 'smooth' });
    $('card-number').focus({ preventScroll: true });
  });

  $('payment-form').addEventListener('change', () => {
    $('card-field').hidden = new FormData($('payment-form')).get('payment_method') !== 'card';
  });
  $('payment-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('place-order').disabled = true;
    const paymentMethod = new FormData($('payment-form')).get('payment_method');
    const orderId = randomCode('MP');
    await track('Payment Info Entered', { checkout_id: checkoutId, order_id: orderId, step: 2,
      shipping_method: delivery.method, payment_method: paymentMethod }, 'paymentInfoEntered');
    await track('Checkout Step Completed', { checkout_id: checkoutId, step: 2, shipping_method: delivery.method,
      payment_method: paymentMethod }, 'checkoutStepCompleted');
    const order = {
      order_id: orderId, checkout_id: checkoutId, total: sums.total, revenue: sums.revenue, subtotal: sums.subtotal,
      shipping: sums.shipping, tax: sums.tax, discount: sums.discount, coupon: coupon ?? undefined, currency, products,
    };
    const result = await track('Order Completed', order, 'orderCompleted');
    if (!result.ok) {
      $('place-order').disabled = false;
      return;
    }
    saveCoupon(null);
    try {
      sessionStorage.setItem(LAST_ORDER_KEY, JSON.stringify({ ...order, shipping_method: delivery.method,
        first_name: delivery.firstName }));
    } catch {
      // Storage disabled: the confirmation page shows the order id only.
    }
    // The queue is stored and resumes on the next page; flushing first just makes the demo snappier.
    await (await getParcours()).flush();
    location.href = shopHref('order.html', { order_id: orderId });
  });
}

main().catch((error) => showStatus(`The page could not load: ${error.message}`, 'error'));

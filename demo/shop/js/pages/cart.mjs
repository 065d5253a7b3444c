// Cart page: the SDK's cart (inspect().cart) with quantity steppers and remove buttons
// (Product Added / Product Removed), a coupon field (Coupon Applied / Coupon Denied) and
// Cart Viewed on arrival.
import { cartProducts, MAX_QUANTITY, readCart, setLineQuantity } from '../cart.mjs';
import { formatPrice } from '../catalog.mjs';
import { drawLayout, element } from '../layout.mjs';
import { COUPONS, FREE_SHIPPING_FROM, saveCoupon, savedCoupon, totals } from '../pricing.mjs';
import { shopHref } from '../sdk.mjs';
import { drawTotals } from '../totals-view.mjs';
import { showStatus, track } from '../tracking.mjs';

const $ = (id) => document.getElementById(id);

function lineView(line, currency) {
  const productId = line.product_id;
  const href = shopHref('product.html', { id: productId });
  const quantityId = `quantity-${productId}`;
  const stepper = element('div', { class: 'stepper stepper--small' });
  const down = element('button', { type: 'button', class: 'stepper__button', 'aria-label': `One less ${line.name}`, text: '−' });
  const count = element('output', { class: 'stepper__value', id: quantityId, 'aria-live': 'polite', text: String(line.quantity) });
  const up = element('button', { type: 'button', class: 'stepper__button', 'aria-label': `One more ${line.name}`, text: '+' });
  if (line.quantity >= MAX_QUANTITY) up.disabled = true;
  stepper.append(down, count, up);
  const remove = element('button', { type: 'button', class: 'link-button', text: 'Remove' });
  remove.setAttribute('aria-label', `Remove ${line.name}`);
  const change = (quantity) => async () => {
    for (const button of [down, up, remove]) button.disabled = true;
    await setLineQuantity(line, quantity);
    await draw();
  };
  down.addEventListener('click', change(line.quantity - 1));
  up.addEventListener('click', change(line.quantity + 1));
  remove.addEventListener('click', change(0));
  return element('li', { class: 'line' },
    element('img', { src: line.image_url ?? '', alt: '', width: '80', height: '80' }),
    element('div', { class: 'line__info' },
      element('a', { href, class: 'line__name', text: line.name ?? productId }),
      element('span', { class: 'line__price', text: formatPrice(line.price ?? 0, currency) })),
    element('div', { class: 'line__actions' }, element('span', { class: 'visually-hidden', text: 'Quantity' }), stepper, remove),
    element('span', { class: 'line__total', text: formatPrice((line.price ?? 0) * line.quantity, currency) }));
}

async function draw() {
  const cart = await readCart();
  const currency = cart.currency ?? 'EUR';
  $('lines').replaceChildren(...cart.items.map((line) => lineView(line, currency)));
  $('lines').setAttribute('aria-busy', 'false');
  $('cart-empty').hidden = cart.items.length > 0;
  $('summary').hidden = cart.items.length === 0;
  const coupon = savedCoupon();
  const sums = totals(cart, coupon);
  drawTotals($('totals'), sums, { coupon, currency });
  if (coupon) $('coupon').value = coupon;
  $('coupon-help').textContent = sums.shipping === 0
    ? (coupon ? `${COUPONS[coupon].name} applied.` : 'Free shipping on this order.')
    : `Free shipping from ${formatPrice(FREE_SHIPPING_FROM, currency)}. Have a code? Try CART10.`;
  return cart;
}

async function applyCoupon(event) {
  event.preventDefault();
  const code = $('coupon').value.trim().toUpperCase();
  const cart = await readCart();
  if (!code) return;
  if (!COUPONS[code]) {
    await track('Coupon Denied', { coupon_id: code, cart_id: cart.id ?? undefined, reason: 'unknown code' });
    showStatus(`“${code}” is not a code we know.`, 'error');
    $('coupon').setAttribute('aria-invalid', 'true');
    return;
  }
  $('coupon').removeAttribute('aria-invalid');
  saveCoupon(code);
  const sums = totals(cart, code);
  await track('Coupon Applied', { coupon_id: code, coupon_name: COUPONS[code].name, cart_id: cart.id ?? undefined,
    discount: sums.discount }, 'couponApplied');
  await draw();
}

async function main() {
  drawLayout('cart');
  $('coupon-form').addEventListener('submit', applyCoupon);
  const cart = await draw();
  await track('Cart Viewed', { cart_id: cart.id ?? undefined, products: cartProducts(cart) }, 'cartViewed');
}

main().catch((error) => showStatus(`The page could not load: ${error.message}`, 'error'));

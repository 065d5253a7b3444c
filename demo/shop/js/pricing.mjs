// Totals of an order: coupons the shop accepts, shipping methods, VAT included in prices.
// Prices are in euros with VAT (20%) included, as French shops show them.

export const FREE_SHIPPING_FROM = 60;

export const SHIPPING_METHODS = Object.freeze([
  { id: 'standard', label: 'Standard delivery, 2–4 working days', price: 4.9 },
  { id: 'express', label: 'Express delivery, next working day', price: 9.9 },
  { id: 'click_and_collect', label: 'Click & collect at Maison Parcours Lyon, today', price: 0 },
]);

// The codes the demo's campaigns hand out (demo/rules/shop.json) and the emails would.
export const COUPONS = Object.freeze({
  CART10: { name: 'Cart reminder, 10% off', percent: 10 },
  WELCOME10: { name: 'Welcome, 10% off your first order', percent: 10 },
  BACK15: { name: 'Welcome back, 15% off', percent: 15 },
  SHIPFREE: { name: 'Free shipping', freeShipping: true },
});

const COUPON_KEY = 'shop:coupon';
const round = (n) => Math.round(n * 100) / 100;

export function savedCoupon() {
  try {
    const code = localStorage.getItem(COUPON_KEY);
    return code && COUPONS[code] ? code : null;
  } catch {
    return null;  // Storage disabled: no coupon.
  }
}

export function saveCoupon(code) {
  try {
    if (code) localStorage.setItem(COUPON_KEY, code);
    else localStorage.removeItem(COUPON_KEY);
  } catch {
    // Storage full or disabled: the coupon lasts for this page.
  }
}

/** Subtotal, discount, shipping, VAT and total of `cart` with `coupon` and a shipping method. */
export function totals(cart, coupon, shippingId = 'standard') {
  const subtotal = round(cart.items.reduce((sum, line) => sum + (line.price ?? 0) * line.quantity, 0));
  const offer = coupon ? COUPONS[coupon] : null;
  const discount = offer?.percent ? round(subtotal * offer.percent / 100) : 0;
  const method = SHIPPING_METHODS.find((m) => m.id === shippingId) ?? SHIPPING_METHODS[0];
  const freeShipping = offer?.freeShipping || subtotal - discount >= FREE_SHIPPING_FROM;
  const shipping = subtotal === 0 || freeShipping ? 0 : method.price;
  const total = round(subtotal - discount + shipping);
  // Segment's revenue: what the products brought, without shipping; tax: the VAT in the total.
  return { subtotal, discount, shipping, total, revenue: round(subtotal - discount), tax: round(total / 6) };
}

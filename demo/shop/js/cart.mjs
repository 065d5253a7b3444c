// The cart lives in the SDK core (built from Product Added / Removed, Cart Viewed, Order
// Completed; see docs/TRACKING.md "Cart state"): the shop reads it with inspect() and changes
// it only by tracking those events, so the rules engine and the page never disagree.
import { productProperties } from './catalog.mjs';
import { getParcours } from './sdk.mjs';
import { track } from './tracking.mjs';

const EMPTY = Object.freeze({ id: null, items: [], itemCount: 0, quantity: 0, value: 0, currency: null });
export const MAX_QUANTITY = 10;

/** The SDK's cart now (an empty one when the SDK could not load). */
export async function readCart() {
  const parcours = await getParcours();
  return (await parcours.inspect())?.cart ?? EMPTY;
}

function newCartId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; the demo may run on a LAN address over http.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function changed() {
  document.dispatchEvent(new CustomEvent('shop:cart-changed'));
}

/** Adds `quantity` of `product`: one Product Added with the cart's id. */
export async function addToCart(product, quantity, currency) {
  const cart = await readCart();
  const result = await track('Product Added', {
    ...productProperties(product, currency),
    quantity,
    cart_id: cart.id ?? newCartId(),
  }, 'productAdded');
  changed();
  return result;
}

/** Sets a line's quantity (0 removes it): a Product Added or Product Removed for the difference. */
export async function setLineQuantity(line, quantity) {
  const cart = await readCart();
  const delta = quantity - line.quantity;
  if (delta === 0) return null;
  const properties = {
    product_id: line.product_id, sku: line.sku, name: line.name, price: line.price,
    currency: line.currency ?? cart.currency ?? undefined, category: line.category,
    url: line.url, image_url: line.image_url, quantity: Math.abs(delta), cart_id: cart.id ?? undefined,
  };
  const result = delta > 0
    ? await track('Product Added', properties, 'productAdded')
    : await track('Product Removed', properties, 'productRemoved');
  changed();
  return result;
}

/** Segment `products[]` of the cart's lines, with their position. */
export function cartProducts(cart) {
  return cart.items.map((line, index) => ({
    product_id: line.product_id, sku: line.sku, name: line.name, price: line.price, quantity: line.quantity,
    category: line.category, url: line.url, image_url: line.image_url, position: index + 1,
  }));
}

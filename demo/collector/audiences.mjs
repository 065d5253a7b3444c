// Audiences an email or SMS tool would import, computed from the stored events: cart abandoners.
// Pure: cartAbandoners(events, { now, inactiveMinutes }) replays each customer's cart the way
// the SDK keeps it (docs/TRACKING.md, "Cart state") and keeps the idle, non-empty ones.
import { cents, isText, numberOrNull } from './event-fields.mjs';
import { buildIdentity } from './identity.mjs';

export const DEFAULT_INACTIVE_MINUTES = 30;
const MAX_LINES = 200;
const MAX_QUANTITY = 1_000_000;

const lineKey = (product) => (isText(product?.product_id) ? product.product_id : isText(product?.sku) ? product.sku : null);

function lineFrom(product, quantity) {
  return {
    product_id: isText(product.product_id) ? product.product_id : null,
    sku: isText(product.sku) ? product.sku : null,
    name: isText(product.name) ? product.name : null,
    price: numberOrNull(product.price),
    quantity,
  };
}

const quantityOf = (value, fallback) => (Number.isInteger(value) && value >= 0 ? Math.min(value, MAX_QUANTITY) : fallback);

/** Applies one event to a cart { lines: Map, id, currency, changedAt, orderedAt }, as the SDK's core does. */
export function applyToCart(cart, event, time) {
  if (event.type !== 'track') return;
  const props = event.properties ?? {};
  const name = event.event;
  if (!['Product Added', 'Product Removed', 'Cart Viewed', 'Checkout Started', 'Order Completed'].includes(name)) return;
  if (isText(props.cart_id)) cart.id = props.cart_id;
  if (isText(props.currency)) cart.currency = props.currency.toUpperCase();
  if (name === 'Order Completed') {
    cart.lines.clear();
    cart.orderedAt = time;
  } else if (name === 'Product Added' || name === 'Product Removed') {
    const key = lineKey(props);
    const quantity = quantityOf(props.quantity, name === 'Product Added' ? 1 : Infinity);
    if (key === null || quantity === 0) return;
    const line = cart.lines.get(key);
    if (name === 'Product Added') {
      if (line) {
        Object.assign(line, Object.fromEntries(Object.entries(lineFrom(props, 0)).filter(([k, v]) => k !== 'quantity' && v !== null)));
        line.quantity = Math.min(line.quantity + quantity, MAX_QUANTITY);
      } else if (cart.lines.size < MAX_LINES) {
        cart.lines.set(key, lineFrom(props, quantity));
      }
    } else if (line) {
      if (quantity >= line.quantity) cart.lines.delete(key);
      else line.quantity -= quantity;
    }
  } else if (Array.isArray(props.products)) {
    cart.lines.clear();
    for (const product of props.products) {
      const key = lineKey(product);
      if (key !== null && cart.lines.size < MAX_LINES) cart.lines.set(key, lineFrom(product, quantityOf(product.quantity, 1)));
    }
  }
  cart.changedAt = time;
}

/** The fake "email" link that reopens the shop as this customer, attributed to the cart reminder email. */
export function emailLinkPath({ userId, anonymousId }) {
  const who = isText(userId) ? `pc_uid=${encodeURIComponent(userId)}` : `pc_aid=${encodeURIComponent(anonymousId)}`;
  return `/shop/?${who}&utm_source=email&utm_medium=email&utm_campaign=cart_reminder`;
}

/**
 * Customers (merged ids, see identity.mjs) whose cart is not empty — no Order Completed since
 * it was filled, since an order empties it — and whose last event of any kind is more than
 * `inactiveMinutes` before `now`. Most valuable carts first.
 */
export function cartAbandoners(events, { now = Date.now(), inactiveMinutes = DEFAULT_INACTIVE_MINUTES, identity = buildIdentity(events) } = {}) {
  const carts = new Map();
  for (const { event, time } of identity.timeline) {
    const key = identity.keyOf(event);
    if (key === null || !Number.isFinite(time)) continue;
    if (!carts.has(key)) carts.set(key, { lines: new Map(), id: null, currency: null, changedAt: null, orderedAt: null });
    applyToCart(carts.get(key), event, time);
  }
  const cutoff = now - inactiveMinutes * 60_000;
  const customers = [];
  for (const [key, cart] of carts) {
    const customer = identity.customers.get(key);
    if (cart.lines.size === 0 || !(customer.lastSeen < cutoff)) continue;
    const items = [...cart.lines.values()];
    const ids = { userId: customer.userId, anonymousId: customer.lastAnonymousId };
    customers.push({
      key,
      userId: customer.userId,
      anonymousId: customer.lastAnonymousId,
      anonymousIds: customer.anonymousIds,
      email: customer.email,
      cartId: cart.id,
      items,
      itemCount: items.length,
      quantity: items.reduce((sum, line) => sum + line.quantity, 0),
      value: cents(items.reduce((sum, line) => sum + (line.price ?? 0) * line.quantity, 0)),
      currency: cart.currency,
      lastCartChangeAt: new Date(cart.changedAt).toISOString(),
      lastOrderAt: cart.orderedAt === null ? null : new Date(cart.orderedAt).toISOString(),
      lastSeen: new Date(customer.lastSeen).toISOString(),
      inactiveMinutes: Math.floor((now - customer.lastSeen) / 60_000),
      emailLink: emailLinkPath(ids),
    });
  }
  customers.sort((a, b) => b.value - a.value || a.lastSeen.localeCompare(b.lastSeen) || a.key.localeCompare(b.key));
  return { audience: 'cart-abandoners', generatedAt: new Date(now).toISOString(), inactiveMinutes, count: customers.length, customers };
}

/** Column order and cell values of the CSV export. */
export const ABANDONER_COLUMNS = [
  ['user_id', (c) => c.userId],
  ['anonymous_id', (c) => c.anonymousId],
  ['email', (c) => c.email],
  ['items', (c) => c.items.map((l) => `${l.quantity} x ${l.name ?? l.product_id ?? l.sku}`).join('; ')],
  ['item_count', (c) => c.itemCount],
  ['quantity', (c) => c.quantity],
  ['value', (c) => c.value],
  ['currency', (c) => c.currency],
  ['last_seen', (c) => c.lastSeen],
  ['email_link', (c) => c.emailLink],
];

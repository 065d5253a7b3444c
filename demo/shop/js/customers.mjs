// The demo's customers, and what "signing in" means here: identify() with the traits a real
// shop's backend would know. `days_since_last_order` stands for the CRM's order history (this
// browser never saw Léa's orders), so the reactivation campaign can be shown on demand.

export const DEMO_CUSTOMERS = Object.freeze([
  {
    userId: 'cust-camille', label: 'Camille — new customer, never ordered',
    traits: { email: 'camille@example.com', first_name: 'Camille', last_name: 'Martin', orders_count: 0 },
  },
  {
    userId: 'cust-lea', label: 'Léa — returning customer, last order 45 days ago',
    traits: { email: 'lea@example.com', first_name: 'Léa', last_name: 'Dubois', orders_count: 3, days_since_last_order: 45 },
  },
  {
    userId: 'cust-hugo', label: 'Hugo — loyal customer, ordered last week',
    traits: { email: 'hugo@example.com', first_name: 'Hugo', last_name: 'Bernard', orders_count: 9, days_since_last_order: 6 },
  },
]);

// FNV-1a, 32 bits: a stable, short customer id for any email (the demo has no user database).
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** The customer an email signs in as: a demo customer, or a new one made from the address. */
export function customerForEmail(email) {
  const address = email.trim().toLowerCase();
  const known = DEMO_CUSTOMERS.find((c) => c.traits.email === address);
  if (known) return known;
  const local = address.split('@')[0].split(/[._+-]/)[0];
  const firstName = local ? local[0].toUpperCase() + local.slice(1) : undefined;
  return { userId: `cust-${fnv1a(address)}`, traits: { email: address, first_name: firstName } };
}

/** Orders the CRM knows about, as an ISO date, from `days_since_last_order`. */
export function withLastOrderDate(traits, now = Date.now()) {
  if (typeof traits.days_since_last_order !== 'number') return traits;
  const at = new Date(now - traits.days_since_last_order * 86_400_000).toISOString().slice(0, 10);
  return { ...traits, last_order_date: at };
}

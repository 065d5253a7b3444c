// GET /v1/audiences/cart-abandoners on a scripted scenario posted through the real POST /v1/batch:
// exactly the customers with a non-empty cart, no order since and idle long enough, as JSON and CSV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector } from '../../demo/collector/server.mjs';
import { ABANDONER_COLUMNS, cartAbandoners } from '../../demo/collector/audiences.mjs';
import { toCsv } from '../../demo/collector/csv.mjs';
import {
  basicAuth, makeTempDir, postBatch, removeDir, request,
} from '../support/collector-client.mjs';

const NOW = Date.now();
const ago = (minutes) => new Date(NOW - minutes * 60_000).toISOString();
let seq = 0;

function event(type, minutesAgo, ids, fields = {}) {
  seq += 1;
  return {
    type, messageId: `aud-${process.pid}-${seq}`, timestamp: ago(minutesAgo), context: { library: { name: 'test' } }, ...ids, ...fields,
  };
}
const add = (min, ids, product, extra = {}) => event('track', min, ids, { event: 'Product Added', properties: { ...product, ...extra } });
const remove = (min, ids, product, extra = {}) => event('track', min, ids, { event: 'Product Removed', properties: { ...product, ...extra } });

const MUG = { product_id: 'mug', name: 'Mug', price: 12.5, currency: 'EUR' };
const TOTE = { product_id: 'tote', name: 'Tote bag', price: 39, currency: 'EUR' };
const EVIL = { sku: 'SKU-EVIL', name: "=cmd|' /C calc'!A0", price: 5 };

// Who is who: the expected audience is ana (email known, two devices), bob (anonymous) and carl
// (ordered once, then filled a new cart); not olga (ordered), emma (emptied), rita (active recently), zed (quantity 0).
const SCENARIO = [
  // olga: adds, checks out, orders — nothing left in the cart.
  add(95, { anonymousId: 'a-olga', userId: 'olga' }, TOTE),
  event('track', 90, { anonymousId: 'a-olga', userId: 'olga' }, { event: 'Checkout Started', properties: { products: [{ ...TOTE, quantity: 1 }] } }),
  event('track', 85, { anonymousId: 'a-olga', userId: 'olga' }, { event: 'Order Completed', properties: { order_id: 'o-1', total: 39 } }),
  // emma: adds two products, removes both (one without quantity, one with at least the line's quantity).
  add(70, { anonymousId: 'a-emma' }, MUG, { quantity: 2 }),
  add(70, { anonymousId: 'a-emma' }, TOTE),
  remove(65, { anonymousId: 'a-emma' }, MUG, { quantity: 5 }),
  remove(64, { anonymousId: 'a-emma' }, TOTE),
  // rita: a cart, but she is still browsing (5 minutes ago).
  add(60, { anonymousId: 'a-rita' }, MUG),
  event('page', 5, { anonymousId: 'a-rita' }, { properties: { path: '/shop/' } }),
  // ana: cart on her laptop while anonymous, then logs in (email), removes one mug, then browses on her phone.
  add(50, { anonymousId: 'a-ana-laptop' }, MUG, { quantity: 2, cart_id: 'cart-ana' }),
  add(49.5, { anonymousId: 'a-ana-laptop' }, TOTE),
  event('identify', 48, { anonymousId: 'a-ana-laptop', userId: 'ana' }, { traits: { email: 'ana@example.com', name: 'Ana' } }),
  remove(45, { anonymousId: 'a-ana-laptop', userId: 'ana' }, MUG, { quantity: 1 }),
  event('page', 40, { anonymousId: 'a-ana-phone', userId: 'ana' }, { properties: { path: '/shop/' } }),
  // bob: anonymous, one product with a spreadsheet formula as its name, long gone.
  add(120, { anonymousId: 'a-bob' }, EVIL, { quantity: 3 }),
  // carl: ordered, then started a new cart he never bought.
  event('track', 100, { anonymousId: 'a-carl', userId: 'carl' }, { event: 'Order Completed', properties: { order_id: 'o-2', total: 12.5 } }),
  add(90, { anonymousId: 'a-carl', userId: 'carl' }, MUG),
  // zed: an add with quantity 0 changes nothing.
  add(80, { anonymousId: 'a-zed' }, MUG, { quantity: 0 }),
];

let collector;
let dataDir;
const auth = { Authorization: basicAuth('demo-key') };

before(async () => {
  dataDir = makeTempDir('parcours-audiences-');
  collector = await startCollector({ port: 0, dataDir, quiet: true });
  // Reversed and dealt over three batches: the order of arrival must not matter, only the event times.
  const reversed = [...SCENARIO].reverse();
  for (let i = 0; i < 3; i += 1) {
    const res = await postBatch(collector.url, { batch: reversed.filter((_, j) => j % 3 === i), sentAt: new Date().toISOString() });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.rejected, []);
  }
});

after(async () => {
  await collector?.close();
  if (dataDir) removeDir(dataDir);
});

test('JSON: exactly the abandoners, with merged ids, email, items, value and the email link', async () => {
  const res = await request(collector.url, '/v1/audiences/cart-abandoners', { headers: auth });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers['content-type'], /^application\/json/);
  const { audience, inactiveMinutes, count, customers } = res.json;
  assert.deepEqual([audience, inactiveMinutes, count], ['cart-abandoners', 30, 3]);
  assert.deepEqual(customers.map((c) => c.userId ?? c.anonymousId).sort(), ['a-bob', 'ana', 'carl']);

  const ana = customers.find((c) => c.userId === 'ana');
  assert.equal(ana.email, 'ana@example.com');
  assert.equal(ana.anonymousId, 'a-ana-phone', 'the most recent anonymous id');
  assert.deepEqual(ana.anonymousIds, ['a-ana-laptop', 'a-ana-phone']);
  assert.equal(ana.cartId, 'cart-ana');
  assert.deepEqual(ana.items.map((l) => [l.product_id, l.quantity, l.price]), [['mug', 1, 12.5], ['tote', 1, 39]]);
  assert.deepEqual([ana.itemCount, ana.quantity, ana.value, ana.currency], [2, 2, 51.5, 'EUR']);
  assert.equal(ana.lastSeen, ago(40), 'last seen is her last event of any kind, on any device');
  assert.equal(ana.inactiveMinutes >= 40, true);
  assert.equal(ana.emailLink, `${collector.url}/shop/?pc_uid=ana&utm_source=email&utm_medium=email&utm_campaign=cart_reminder`);

  const bob = customers.find((c) => c.anonymousId === 'a-bob');
  assert.deepEqual([bob.userId, bob.email, bob.value, bob.quantity], [null, null, 15, 3]);
  assert.equal(bob.emailLink, `${collector.url}/shop/?pc_aid=a-bob&utm_source=email&utm_medium=email&utm_campaign=cart_reminder`);

  const carl = customers.find((c) => c.userId === 'carl');
  assert.equal(carl.lastOrderAt, ago(100));
  assert.deepEqual(carl.items.map((l) => l.product_id), ['mug']);
  assert.deepEqual(customers.map((c) => c.value), [51.5, 15, 12.5], 'most valuable carts first');
});

test('?inactiveMinutes=3 also lists the visitor who was active 5 minutes ago; 100 leaves only bob', async () => {
  const short = await request(collector.url, '/v1/audiences/cart-abandoners?inactiveMinutes=3', { headers: auth });
  assert.deepEqual(short.json.customers.map((c) => c.userId ?? c.anonymousId).sort(), ['a-bob', 'a-rita', 'ana', 'carl']);
  const long = await request(collector.url, '/v1/audiences/cart-abandoners?inactiveMinutes=100', { headers: auth });
  assert.deepEqual(long.json.customers.map((c) => c.anonymousId), ['a-bob']);
});

/** A small RFC 4180 reader, to check the export the way a spreadsheet reads it. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i += 1;
    } else cell += ch;
  }
  assert.equal(cell + row.join(''), '', 'the file ends with CRLF');
  return rows;
}

test('CSV: header row, RFC 4180 quoting, formula injection defused, same customers as JSON', async () => {
  const res = await request(collector.url, '/v1/audiences/cart-abandoners?format=csv', { headers: auth });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(res.headers['content-disposition'], /attachment; filename="cart-abandoners.csv"/);
  const [header, ...rows] = parseCsv(res.text);
  assert.deepEqual(header, ['user_id', 'anonymous_id', 'email', 'items', 'item_count', 'quantity', 'value', 'currency', 'last_seen', 'email_link']);
  assert.equal(rows.length, 3);
  const byId = Object.fromEntries(rows.map((r) => [r[0] || r[1], Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
  assert.deepEqual(Object.keys(byId).sort(), ['a-bob', 'ana', 'carl']);
  assert.equal(byId.ana.email, 'ana@example.com');
  assert.equal(byId.ana.items, '1 x Mug; 1 x Tote bag');
  assert.equal(byId.ana.value, '51.5');
  assert.equal(byId['a-bob'].items, "3 x =cmd|' /C calc'!A0", 'a formula inside the text, not at its start, is left alone');
  assert.match(byId.ana.email_link, /\/shop\/\?pc_uid=ana&utm_source=email&utm_medium=email&utm_campaign=cart_reminder$/);
  assert.ok(rows.every((r) => r.every((cell) => !/^[=+\-@]/.test(cell))), 'no cell starts like a formula');
});

test('CSV: ids and emails that start like a formula get a leading apostrophe; the link is encoded', () => {
  const events = [
    { type: 'track', event: 'Product Added', messageId: 'x', anonymousId: '=1+1', timestamp: ago(60), properties: { product_id: 'p', name: 'Pen', price: 1 } },
    { type: 'identify', messageId: 'y', anonymousId: '=1+1', timestamp: ago(59), traits: { email: '@evil.example+x@y.z' } },
  ];
  const { customers } = cartAbandoners(events, { now: NOW });
  assert.equal(customers.length, 1);
  assert.equal(customers[0].anonymousId, '=1+1');
  assert.equal(customers[0].emailLink, '/shop/?pc_aid=%3D1%2B1&utm_source=email&utm_medium=email&utm_campaign=cart_reminder');
  const [, row] = parseCsv(toCsv(customers, ABANDONER_COLUMNS));
  assert.deepEqual(row.slice(0, 4), ['', "'=1+1", "'@evil.example+x@y.z", '1 x Pen']);
});

test('reading needs the write key (header or ?key=); bad parameters answer 400', async () => {
  const none = await request(collector.url, '/v1/audiences/cart-abandoners');
  assert.equal(none.status, 401);
  assert.equal(none.json.error.code, 'missing_write_key');
  assert.equal(none.headers['www-authenticate'], undefined, 'no Basic challenge: browsers would pop a password dialog');
  const wrong = await request(collector.url, '/v1/audiences/cart-abandoners?key=nope');
  assert.equal(wrong.json.error.code, 'unknown_write_key');
  const viaQuery = await request(collector.url, '/v1/audiences/cart-abandoners?key=demo-key&format=csv');
  assert.equal(viaQuery.status, 200);
  for (const query of ['inactiveMinutes=-1', 'inactiveMinutes=abc', 'format=xml']) {
    const bad = await request(collector.url, `/v1/audiences/cart-abandoners?${query}`, { headers: auth });
    assert.equal(bad.status, 400, query);
    assert.equal(bad.json.error.code, 'invalid_query');
  }
  const post = await request(collector.url, '/v1/audiences/cart-abandoners', { method: 'POST', headers: auth });
  assert.equal(post.status, 405);
});

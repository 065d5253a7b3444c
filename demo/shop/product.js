// Product page of the Maison Parcours demo shop. It uses the parcours SDK exactly as a
// customer site would: one client per page, Segment e-commerce v2 events, and the call
// result shown to the person running the demo.
import { createParcours } from '/dist/parcours.mjs';

const CART_KEY = 'shop:cart';
const MAX_QUANTITY = 10;

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

// ---- parcours ---------------------------------------------------------------------------

function parcoursOptions() {
  const writeKey = document.querySelector('meta[name="parcours-write-key"]')?.content ?? '';
  // host '' = the page's own origin: the demo collector serves this shop and ingests events.
  // The demo collector accepts gzip, so the demo sends ~20x fewer bytes (docs/BENCHMARKS.md).
  const options = { writeKey, host: '', gzip: true };
  // ?flush=200 makes events leave quickly (tests, demos); the SDK default is 5000 ms.
  const flush = params.get('flush');
  if (flush !== null && /^\d{1,8}$/.test(flush)) options.flushIntervalMs = Number(flush);
  if (params.has('debug')) options.debug = true;
  return options;
}

// Created first, so the WASM core loads while the catalog is fetched; early calls are buffered.
const parcours = createParcours(parcoursOptions());
const tracked = [];
window.shop = { parcours, tracked };

async function trackAndShow(event, properties) {
  const result = await parcours.track(event, properties);
  tracked.push({ event, result });
  if (result.ok) {
    showStatus(`Tracked: ${event} ✓`, 'ok');
  } else {
    showStatus(`Not tracked: ${event} — ${result.error.message}`, 'error');
  }
  return result;
}

// ---- cart (a tiny one, kept in localStorage) --------------------------------------------

function randomId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; the demo may run on a LAN address over http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function loadCart() {
  try {
    const cart = JSON.parse(localStorage.getItem(CART_KEY) ?? 'null');
    if (cart && typeof cart.id === 'string' && cart.items && typeof cart.items === 'object') return cart;
  } catch {
    // Unreadable or unavailable storage: start a new cart.
  }
  return { id: randomId(), items: {} };
}

function saveCart(cart) {
  try {
    localStorage.setItem(CART_KEY, JSON.stringify(cart));
  } catch {
    // Storage full or disabled: the cart lives for this page only.
  }
}

function cartCount(cart) {
  return Object.values(cart.items).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
}

function renderCart(cart) {
  const count = cartCount(cart);
  $('cart-count').textContent = String(count);
  $('cart-unit').textContent = count === 1 ? 'item' : 'items';
}

// ---- page -------------------------------------------------------------------------------

function showStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

function formatPrice(amount, currency) {
  return new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'currency', currency }).format(amount);
}

function productUrl(product) {
  return new URL(`product.html?id=${encodeURIComponent(product.id)}`, location.href).href;
}

/** Segment e-commerce v2 product properties. */
function productProperties(product, currency) {
  return {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    price: product.price,
    currency,
    category: product.category,
    url: productUrl(product),
    image_url: new URL(product.image, location.href).href,
  };
}

function readQuantity() {
  const value = Math.round(Number($('quantity').value));
  const quantity = Number.isFinite(value) ? Math.min(MAX_QUANTITY, Math.max(1, value)) : 1;
  $('quantity').value = String(quantity);
  return quantity;
}

function renderProduct(product, currency) {
  document.title = `${product.name} — Maison Parcours`;
  $('product-name').textContent = product.name;
  $('product-category').textContent = product.category;
  $('product-price').textContent = formatPrice(product.price, currency);
  $('product-description').textContent = product.description;
  $('product-sku').textContent = product.sku;
  const image = $('product-image');
  image.src = product.image;
  image.alt = product.imageAlt ?? product.name;
  image.hidden = false;
  $('breadcrumb-category').textContent = product.category;
  $('breadcrumb-category').hidden = false;
  $('breadcrumb-product').textContent = product.name;
  $('product').setAttribute('aria-busy', 'false');
}

function renderMore(products, current, currency) {
  const list = $('more-products');
  list.replaceChildren(...products.filter((p) => p.id !== current.id).map((p) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.className = 'more__item';
    // Keep the demo's own options (flush, debug) when browsing to another product, but not a
    // landing page's campaign parameters: the session remembers those.
    const next = new URLSearchParams();
    for (const option of ['flush', 'debug']) if (params.has(option)) next.set(option, params.get(option));
    next.set('id', p.id);
    link.href = `product.html?${next}`;
    const img = document.createElement('img');
    img.src = p.image;
    img.alt = '';
    img.width = 96;
    img.height = 96;
    const name = document.createElement('span');
    name.className = 'more__name';
    name.textContent = p.name;
    const price = document.createElement('span');
    price.className = 'more__price';
    price.textContent = formatPrice(p.price, currency);
    link.append(img, name, price);
    item.append(link);
    return item;
  }));
}

function renderNotFound(id, products, currency) {
  $('product-name').textContent = 'Product not found';
  $('product-description').textContent = `There is no product “${id}” in the catalog.`;
  $('product').setAttribute('aria-busy', 'false');
  $('buy-form').hidden = true;
  renderMore(products, { id: null }, currency);
}

function wireQuantity() {
  const input = $('quantity');
  const step = (delta) => {
    input.value = String(Math.min(MAX_QUANTITY, Math.max(1, readQuantity() + delta)));
  };
  $('quantity-down').addEventListener('click', () => step(-1));
  $('quantity-up').addEventListener('click', () => step(1));
  input.addEventListener('change', readQuantity);
}

async function loadCatalog() {
  const response = await fetch(new URL('catalog.json', import.meta.url));
  if (!response.ok) throw new Error(`catalog.json answered HTTP ${response.status}`);
  return response.json();
}

async function main() {
  const cart = loadCart();
  renderCart(cart);
  wireQuantity();

  const catalog = await loadCatalog();
  const currency = catalog.currency ?? 'EUR';
  const products = Array.isArray(catalog.products) ? catalog.products : [];
  const id = params.get('id') || products[0]?.id;
  const product = products.find((p) => p.id === id);
  if (!product) {
    renderNotFound(id, products, currency);
    return;
  }
  renderProduct(product, currency);
  renderMore(products, product, currency);
  window.shop.product = product;

  const button = $('add-to-cart');
  $('buy-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const quantity = readQuantity();
    const current = loadCart();  // Another tab may have changed it.
    current.items[product.id] = (current.items[product.id] ?? 0) + quantity;
    saveCart(current);
    renderCart(current);
    await trackAndShow('Product Added', {
      ...productProperties(product, currency),
      quantity,
      cart_id: current.id,
    });
  });
  // Tracked before the button is enabled, so a quick click can never be recorded first.
  const viewed = trackAndShow('Product Viewed', productProperties(product, currency));
  button.disabled = false;
  await viewed;
}

main().catch((error) => {
  showStatus(`The page could not load: ${error.message}`, 'error');
  $('product-name').textContent = 'Something went wrong';
  $('product').setAttribute('aria-busy', 'false');
});

// Product page: Product Viewed with the accessories (`recommendations`) and, when out of stock,
// the `alternatives` the rules show in the page's inline slots; Product Added from the form.
import { addToCart, MAX_QUANTITY } from '../cart.mjs';
import { formatPrice, loadCatalog, productById, productProperties, relatedProducts, categoryOf } from '../catalog.mjs';
import { drawLayout, element } from '../layout.mjs';
import { getParcours, shopHref } from '../sdk.mjs';
import { showStatus, track } from '../tracking.mjs';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

function readQuantity() {
  const value = Math.round(Number($('quantity').value));
  const quantity = Number.isFinite(value) ? Math.min(MAX_QUANTITY, Math.max(1, value)) : 1;
  $('quantity').value = String(quantity);
  return quantity;
}

function wireQuantity() {
  const step = (delta) => { $('quantity').value = String(Math.min(MAX_QUANTITY, Math.max(1, readQuantity() + delta))); };
  $('quantity-down').addEventListener('click', () => step(-1));
  $('quantity-up').addEventListener('click', () => step(1));
  $('quantity').addEventListener('change', readQuantity);
}

function renderProduct(catalog, product) {
  const { currency } = catalog;
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
  const category = categoryOf(catalog, product);
  const crumb = $('breadcrumb-category');
  crumb.replaceChildren(element('a', { href: shopHref('category.html', { c: category?.id ?? '' }), text: product.category }));
  crumb.hidden = false;
  $('breadcrumb-product').textContent = product.name;
  $('stock').textContent = product.inStock ? 'In stock, ships in 24 h' : 'Out of stock online';
  $('stock').dataset.kind = product.inStock ? 'ok' : 'out';
  // The page reserves each slot only where a campaign may fill it (docs/placements/inline.md).
  $('cross-sell').hidden = !(product.inStock && product.accessories.length);
  $('out-of-stock').hidden = product.inStock;
  if (!product.inStock) {
    $('buy-form').hidden = true;
    $('store-note').hidden = false;
  }
  $('product').setAttribute('aria-busy', 'false');
}

/** Up to four other products, the same category first. */
function renderMore(catalog, current) {
  const others = catalog.products.filter((p) => p.id !== current?.id);
  others.sort((a, b) => Number(b.category === current?.category) - Number(a.category === current?.category));
  $('more-products').replaceChildren(...others.slice(0, 4).map((p) => {
    const link = element('a', { class: 'more__item', href: shopHref('product.html', { id: p.id }) },
      element('img', { src: p.image, alt: '', width: '96', height: '96' }),
      element('span', { class: 'more__name', text: p.name }),
      element('span', { class: 'more__price', text: formatPrice(p.price, catalog.currency) }));
    return element('li', {}, link);
  }));
}

function renderNotFound(catalog, id) {
  $('product-name').textContent = 'Product not found';
  $('product-description').textContent = `There is no product “${id}” in the catalog.`;
  $('product').setAttribute('aria-busy', 'false');
  $('buy-form').hidden = true;
  renderMore(catalog, null);
}

async function main() {
  drawLayout();
  getParcours();  // Start loading the SDK while the catalogue is fetched.
  wireQuantity();
  const catalog = await loadCatalog();
  const id = params.get('id') || catalog.products[0].id;
  const product = productById(catalog, id);
  if (!product) {
    renderNotFound(catalog, id);
    return;
  }
  renderProduct(catalog, product);
  renderMore(catalog, product);
  window.shop.product = product;

  $('buy-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await addToCart(product, readQuantity(), catalog.currency);
  });
  // Tracked before the button is enabled, so a quick click can never be recorded first.
  const viewed = track('Product Viewed', {
    ...productProperties(product, catalog.currency),
    in_stock: product.inStock,
    recommendations: relatedProducts(catalog, product.accessories),
    alternatives: relatedProducts(catalog, product.alternatives),
  }, 'productViewed');
  $('add-to-cart').disabled = !product.inStock;
  await viewed;
}

main().catch((error) => {
  showStatus(`The page could not load: ${error.message}`, 'error');
  $('product-name').textContent = 'Something went wrong';
  $('product').setAttribute('aria-busy', 'false');
});

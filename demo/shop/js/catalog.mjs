// The product catalogue (catalog.json) and the Segment e-commerce v2 product objects made from it.

const CATALOG_URL = new URL('../catalog.json', import.meta.url);
let loading;

/** catalog.json, fetched once per page. */
export function loadCatalog() {
  loading ??= fetch(CATALOG_URL).then((response) => {
    if (!response.ok) throw new Error(`catalog.json answered HTTP ${response.status}`);
    return response.json();
  });
  return loading;
}

export function productById(catalog, id) {
  return catalog.products.find((p) => p.id === id) ?? null;
}

export function categoryById(catalog, id) {
  return catalog.categories.find((c) => c.id === id) ?? null;
}

export function categoryOf(catalog, product) {
  return catalog.categories.find((c) => c.name === product.category) ?? null;
}

export function formatPrice(amount, currency = 'EUR') {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);
}

/** Absolute product page URL, without the demo's own parameters (it is a product's identity). */
export function productUrl(product) {
  return new URL(`../product.html?id=${encodeURIComponent(product.id)}`, import.meta.url).href;
}

export function imageUrl(product) {
  return new URL(`../${product.image}`, import.meta.url).href;
}

/** Segment e-commerce v2 product properties. */
export function productProperties(product, currency) {
  return {
    product_id: product.id,
    sku: product.sku,
    name: product.name,
    price: product.price,
    currency,
    category: product.category,
    url: productUrl(product),
    image_url: imageUrl(product),
  };
}

/** Products named by ids (accessories, alternatives), as Segment product objects. */
export function relatedProducts(catalog, ids = []) {
  return ids.map((id) => productById(catalog, id)).filter(Boolean)
    .map((p) => productProperties(p, catalog.currency));
}

// Category listing (category.html?c=kitchen, or every product without c): Product List Viewed
// with the list's products and their positions; "Quick add" on each tile.
import { categoryById, loadCatalog, productProperties } from '../catalog.mjs';
import { drawLayout } from '../layout.mjs';
import { productCard } from '../product-card.mjs';
import { getParcours } from '../sdk.mjs';
import { showStatus, track } from '../tracking.mjs';

const id = new URLSearchParams(location.search).get('c');

async function main() {
  drawLayout(id);
  getParcours();
  const catalog = await loadCatalog();
  const category = id ? categoryById(catalog, id) : null;
  const products = category ? catalog.products.filter((p) => p.category === category.name) : catalog.products;
  if (category) {
    document.title = `${category.name} — Maison Parcours`;
    document.getElementById('category-name').textContent = category.name;
    document.getElementById('breadcrumb-category').textContent = category.name;
    document.getElementById('category-description').textContent = category.description;
  }
  const listId = category?.id ?? 'all-products';
  document.getElementById('products').replaceChildren(
    ...products.map((p) => productCard(p, catalog.currency, { listId })));
  await track('Product List Viewed', {
    list_id: listId,
    category: category?.name ?? 'All products',
    products: products.map((p, index) => ({ ...productProperties(p, catalog.currency), position: index + 1 })),
  }, 'productListViewed');
}

main().catch((error) => showStatus(`The page could not load: ${error.message}`, 'error'));

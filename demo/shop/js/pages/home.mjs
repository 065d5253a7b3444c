// Home page: the featured list (Product List Viewed), category tiles, and a welcome line for a
// visitor who came from a campaign link (an email: ?pc_uid=…&utm_source=email&utm_campaign=…).
// The SDK was installed by the pre-load snippet in the page's <head>.
import { loadCatalog, productProperties } from '../catalog.mjs';
import { drawLayout, element } from '../layout.mjs';
import { productCard } from '../product-card.mjs';
import { getParcours, shopHref } from '../sdk.mjs';
import { track } from '../tracking.mjs';

const FEATURED = ['stoneware-mug', 'merino-throw', 'linen-tote', 'beeswax-candle', 'cast-iron-teapot', 'canvas-backpack', 'linen-cushion', 'leather-weekender'];

async function welcome() {
  const parcours = await getParcours();
  const state = await parcours.inspect();
  const campaign = state?.session?.campaign;
  if (!campaign?.source) return;
  const name = state.traits?.first_name;
  const line = document.getElementById('welcome');
  line.textContent = `${name ? `Welcome back, ${name}. ` : 'Welcome! '}You came from our ${campaign.source}`
    + `${campaign.name ? ` “${campaign.name.replace(/_/g, ' ')}”` : ''}; this visit is attributed to it.`;
  line.hidden = false;
}

async function main() {
  drawLayout();
  getParcours().then(welcome);
  const catalog = await loadCatalog();
  document.getElementById('categories').replaceChildren(...catalog.categories.map((category) => {
    const first = catalog.products.find((p) => p.category === category.name);
    return element('li', { class: 'tile' },
      element('img', { src: first.image, alt: '', width: '400', height: '400' }),
      element('h3', {}, element('a', { href: shopHref('category.html', { c: category.id }), text: category.name })),
      element('p', { text: category.description }));
  }));
  const featured = FEATURED.map((id) => catalog.products.find((p) => p.id === id));
  document.getElementById('featured').replaceChildren(
    ...featured.map((p) => productCard(p, catalog.currency, { listId: 'home-bestsellers' })));
  await track('Product List Viewed', {
    list_id: 'home-bestsellers',
    category: 'Bestsellers',
    products: featured.map((p, index) => ({ ...productProperties(p, catalog.currency), position: index + 1 })),
  }, 'productListViewed');
}

main().catch((error) => console.warn('[shop] home page:', error));

// A product tile for listings (home, category pages): picture, name, price, stock, and a
// quick "add" button that adds one to the cart without leaving the list.
import { addToCart } from './cart.mjs';
import { formatPrice } from './catalog.mjs';
import { element } from './layout.mjs';
import { shopHref } from './sdk.mjs';

export function productCard(product, currency, { listId } = {}) {
  const href = shopHref('product.html', { id: product.id });
  const image = element('img', { src: product.image, alt: product.imageAlt ?? '', width: '400', height: '400', loading: 'lazy' });
  const title = element('h3', { class: 'card__name' }, element('a', { href, class: 'card__link', text: product.name }));
  const price = element('p', { class: 'card__price', text: formatPrice(product.price, currency) });
  const card = element('li', { class: 'card', 'data-product-id': product.id },
    element('div', { class: 'card__media' }, image), title, price);
  if (listId) card.dataset.list = listId;
  if (!product.inStock) {
    card.append(element('p', { class: 'badge badge--out', text: 'Out of stock online · in store' }));
    return card;
  }
  const button = element('button', { type: 'button', class: 'button button--small', text: 'Quick add' });
  button.setAttribute('aria-label', `Add ${product.name} to cart`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    const result = await addToCart(product, 1, currency);
    button.textContent = result.ok ? 'Added ✓' : 'Try again';
    setTimeout(() => { button.textContent = 'Quick add'; button.disabled = false; }, 1500);
  });
  card.append(button);
  return card;
}

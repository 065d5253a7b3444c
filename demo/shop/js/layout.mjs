// The header (brand, categories, account, cart badge) and footer every shop page shares,
// drawn into <header id="site-header"> and <footer id="site-footer">, whose height the CSS
// reserves so nothing moves. The cart badge and the account link read the SDK's state.
import { readCart } from './cart.mjs';
import { getParcours, shopHref } from './sdk.mjs';
import { track } from './tracking.mjs';

// The categories of catalog.json, listed here so the header draws before the catalogue loads.
const CATEGORIES = [['kitchen', 'Kitchen'], ['home', 'Home'], ['bags', 'Bags']];

const CART_ICON = `<svg class="cart__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
  <path d="M6 7h12l-1.2 12.1a1 1 0 0 1-1 .9H8.2a1 1 0 0 1-1-.9L6 7Z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>
  <path d="M9 9V6a3 3 0 0 1 6 0v3" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>`;

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}
export { element };

function drawHeader(active) {
  const header = document.getElementById('site-header');
  if (!header) return;
  header.className = 'site-header';
  const nav = element('nav', { class: 'site-nav', 'aria-label': 'Categories' });
  const list = element('ul');
  for (const [id, name] of CATEGORIES) {
    const link = element('a', { href: shopHref('category.html', { c: id }), text: name });
    if (active === id) link.setAttribute('aria-current', 'page');
    list.append(element('li', {}, link));
  }
  nav.append(list);
  const cart = element('a', { class: 'cart', id: 'cart', href: shopHref('cart.html') });
  cart.innerHTML = CART_ICON;  // Static markup, no data in it.
  cart.append(
    element('span', { class: 'cart__label', text: 'Cart' }),
    element('span', { class: 'cart__count', id: 'cart-count', text: '0' }),
    element('span', { class: 'visually-hidden', id: 'cart-unit', text: 'items' }),
  );
  if (active === 'cart') cart.setAttribute('aria-current', 'page');
  const brand = element('a', { class: 'brand', href: shopHref('./') },
    element('span', { class: 'brand__mark', 'aria-hidden': 'true', text: 'MP' }),
    element('span', { class: 'brand__name', text: 'Maison Parcours' }));
  const tools = element('div', { class: 'site-header__tools' },
    element('a', { class: 'header-link', id: 'account-link', href: shopHref('login.html'), text: 'Sign in' }),
    cart);
  header.replaceChildren(element('div', { class: 'site-header__inner' }, brand, nav, tools));
}

function drawFooter() {
  const footer = document.getElementById('site-footer');
  if (!footer) return;
  footer.className = 'site-footer';
  const links = element('ul', { class: 'site-footer__links' },
    element('li', {}, element('a', { href: shopHref('tour.html'), text: 'Demo tour: the six journeys' })),
    element('li', {}, element('a', { href: '/dashboard/', text: 'Collector dashboard' })),
    element('li', {}, element('a', { href: shopHref('category.html'), text: 'All products' })),
    element('li', {}, element('a', { href: 'script-tag.html', text: 'Script-tag install' })));
  const about = element('p', {},
    'Maison Parcours is a demo shop for the ', element('strong', { text: 'parcours' }),
    ' SDK: every view, cart change and order is a Segment e-commerce event sent to the local collector, and the offers you see are decided in your browser from ',
    element('code', { text: '/v1/decisions' }), '.');
  footer.replaceChildren(element('div', { class: 'site-footer__inner' }, about, links));
}

export async function refreshCartBadge() {
  const cart = await readCart();
  const count = cart.quantity ?? 0;
  document.getElementById('cart-count').textContent = String(count);
  document.getElementById('cart-unit').textContent = count === 1 ? 'item' : 'items';
}

async function refreshAccount() {
  const parcours = await getParcours();
  const state = await parcours.inspect();
  const link = document.getElementById('account-link');
  if (!state?.userId) return;
  const name = state.traits?.first_name ?? state.traits?.email ?? state.userId;
  link.textContent = `Sign out (${name})`;
  link.href = '#';
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    await track('Signed Out', {});
    await parcours.flush();
    await parcours.reset();  // Logout: a new anonymous visitor, empty cart, caps and session.
    location.href = shopHref('./');
  }, { once: true });
}

/** Draws the header and footer; `active` is a category id or 'cart'. */
export function drawLayout(active) {
  drawHeader(active);
  drawFooter();
  document.addEventListener('shop:cart-changed', () => { refreshCartBadge(); });
  refreshCartBadge();
  refreshAccount();
}

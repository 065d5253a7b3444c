// What goes inside an offer's card, by content kind: a text offer (image, title, body, coupon
// with a copy button, products, call to action), an email-capture form, or a push opt-in.
// Every string goes in as text (safe-dom.ts); the card's frame and placement are surface.ts.
import type { Decision, OfferProduct, RenderLabels } from '../types.js';
import { h, httpUrl } from './safe-dom.js';

export const DEFAULT_LABELS: Required<RenderLabels> = {
  close: 'Close',
  copy: 'Copy code',
  copied: 'Copied',
  email: 'Email address',
  submit: 'Get my code',
  consent: 'I agree to receive emails.',
  invalidEmail: 'Please enter a valid email address.',
  consentRequired: 'Please tick the box to continue.',
  pushYes: 'Yes, notify me',
  pushNo: 'Not now',
};

/** What the visitor's actions do; the surface turns them into reports and closes the offer. */
export interface ContentActions {
  clicked(): void;
  converted(): void;
  /** The visitor said no (the dismiss button, the push prompt's "not now"). */
  dismiss(): void;
  /** Done without a "no" (push answered, nothing more to show). */
  close(): void;
  /** Records the captured address (an `identify` with the email trait). */
  identify(traits: Record<string, unknown>): Promise<unknown>;
}

// A simple shape check; the browser's own type=email validity is checked too.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function price(product: OfferProduct): string | null {
  if (typeof product.price !== 'number' || !Number.isFinite(product.price)) return null;
  if (product.currency) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency: product.currency })
        .format(product.price);
    } catch {
      // An unknown currency code: the number and the code as given.
    }
  }
  return `${product.price.toFixed(2)}${product.currency ? ` ${product.currency}` : ''}`;
}

function productList(products: OfferProduct[], clicked: () => void): HTMLElement {
  const items = products.map((product) => {
    const image = httpUrl(product.image_url);
    const inner = [
      image ? h('img', { src: image, alt: '', decoding: 'async' }) : null,
      h('span', { class: 'name' }, product.name ?? product.sku ?? product.product_id ?? ''),
      price(product) ? h('span', { class: 'price' }, price(product) as string) : null,
    ];
    const url = httpUrl(product.url);
    if (!url) return h('li', { class: 'product' }, h('span', { class: 'item' }, ...inner));
    const link = h('a', { href: url }, ...inner);
    link.addEventListener('click', clicked);
    return h('li', { class: 'product' }, link);
  });
  return h('ul', { class: 'products' }, ...items);
}

function couponBox(code: string, labels: Required<RenderLabels>, clicked: () => void): HTMLElement {
  const status = h('span', { class: 'sr', 'aria-live': 'polite' });
  const copy = h('button', { class: 'copy', type: 'button' }, labels.copy);
  const text = h('span', { class: 'code' }, code);
  copy.addEventListener('click', () => {
    clicked();
    const done = (): void => {
      copy.textContent = labels.copied;
      status.textContent = labels.copied;
    };
    // The clipboard API needs a secure context and focus; selecting the code is the fallback.
    const selectCode = (): void => {
      const range = document.createRange();
      range.selectNodeContents(text);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    };
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(code).then(done, selectCode);
    else selectCode();
  });
  return h('div', { class: 'coupon' }, text, copy, status);
}

function heading(decision: Decision, titleId: string): HTMLElement[] {
  const { content } = decision;
  const image = httpUrl(content.image);
  const nodes: HTMLElement[] = [];
  if (image) nodes.push(h('img', { class: 'hero', src: image, alt: content.imageAlt ?? '' }));
  if (content.title) nodes.push(h('h2', { class: 'title', id: titleId }, content.title));
  if (content.body) nodes.push(h('p', { class: 'body' }, content.body));
  return nodes;
}

function offer(decision: Decision, labels: Required<RenderLabels>, actions: ContentActions): HTMLElement[] {
  const { content } = decision;
  const nodes: HTMLElement[] = [];
  if (content.coupon) nodes.push(couponBox(content.coupon, labels, actions.clicked));
  if (content.products && content.products.length > 0) nodes.push(productList(content.products, actions.clicked));
  const buttons: HTMLElement[] = [];
  if (content.cta) {
    const url = httpUrl(content.ctaUrl);
    const cta = url ? h('a', { class: 'cta', href: url }, content.cta) : h('button', { class: 'cta', type: 'button' }, content.cta);
    cta.addEventListener('click', () => {
      actions.clicked();
      if (!url) actions.close();
    });
    buttons.push(cta);
  }
  if (content.dismiss) {
    const no = h('button', { class: 'secondary', type: 'button' }, content.dismiss);
    no.addEventListener('click', actions.dismiss);
    buttons.push(no);
  }
  if (buttons.length > 0) nodes.push(h('div', { class: 'actions' }, ...buttons));
  return nodes;
}

function emailCapture(decision: Decision, labels: Required<RenderLabels>, actions: ContentActions, idPrefix: string): HTMLElement[] {
  const { content } = decision;
  const emailId = `${idPrefix}-email`;
  const input = h('input', { id: emailId, type: 'email', name: 'email', autocomplete: 'email', required: '',
                             placeholder: content.placeholder, 'aria-describedby': `${idPrefix}-error` });
  const agree = h('input', { type: 'checkbox', name: 'consent', required: '' });
  const error = h('p', { class: 'error', id: `${idPrefix}-error`, role: 'alert' });
  const form = h('form', { novalidate: '' },
    h('label', { class: 'sr', for: emailId }, labels.email),
    input,
    h('label', { class: 'check' }, agree, h('span', {}, content.consent ?? labels.consent)),
    error,
    h('div', { class: 'actions' }, h('button', { class: 'cta', type: 'submit' }, content.cta ?? labels.submit)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = input.value.trim();
    if (!EMAIL.test(email) || !input.checkValidity()) {
      error.textContent = labels.invalidEmail;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    if (!agree.checked) {
      error.textContent = labels.consentRequired;
      agree.focus();
      return;
    }
    actions.clicked();
    // The address is recorded only now, with the visitor's explicit yes.
    void actions.identify({ email, email_opt_in: true, email_opt_in_source: decision.campaign.id }).then(() => actions.converted());
    const thanks = h('div', { class: 'actions', tabindex: '-1' },
      h('p', { class: 'success', role: 'status' }, content.success ?? ''),
      content.coupon ? couponBox(content.coupon, labels, actions.clicked) : null);
    form.replaceWith(thanks);
    thanks.focus();
  });
  const nodes: HTMLElement[] = [form];
  if (content.dismiss) {
    const no = h('button', { class: 'secondary', type: 'button' }, content.dismiss);
    no.addEventListener('click', actions.dismiss);
    nodes.push(no);
  }
  return nodes;
}

function pushOptIn(decision: Decision, labels: Required<RenderLabels>, actions: ContentActions): HTMLElement[] {
  const { content } = decision;
  const yes = h('button', { class: 'cta', type: 'button' }, content.cta ?? labels.pushYes);
  const no = h('button', { class: 'secondary', type: 'button' }, content.dismiss ?? labels.pushNo);
  const row = h('div', { class: 'actions' }, yes, no);
  no.addEventListener('click', actions.dismiss);
  yes.addEventListener('click', () => {
    actions.clicked();
    // The browser's own prompt appears only now, after the visitor's yes here.
    const ask = typeof Notification === 'function' && Notification.permission !== 'denied'
      ? Notification.requestPermission()
      : Promise.resolve<NotificationPermission>('denied');
    void ask.then((permission) => {
      if (permission !== 'granted') return actions.close();
      actions.converted();
      if (!content.success) return actions.close();
      row.replaceWith(h('p', { class: 'success', role: 'status' }, content.success));
    }, () => actions.close());
  });
  return [row];
}

/** The card's children for `decision`; `idPrefix` keeps ids unique when several offers show. */
export function cardContent(decision: Decision, labels: Required<RenderLabels>, actions: ContentActions, idPrefix: string): HTMLElement[] {
  const top = heading(decision, `${idPrefix}-title`);
  switch (decision.content.kind) {
    case 'emailCapture':
      return [...top, ...emailCapture(decision, labels, actions, idPrefix)];
    case 'pushOptIn':
      return [...top, ...pushOptIn(decision, labels, actions)];
    default:
      return [...top, ...offer(decision, labels, actions)];
  }
}

// Fake sign-in: identify(userId, traits) then Signed In, and back to where the visitor was
// going (?next=) or the home page, whose page view lets campaigns see the customer.
import { customerForEmail, DEMO_CUSTOMERS, withLastOrderDate } from '../customers.mjs';
import { drawLayout, element } from '../layout.mjs';
import { getParcours, shopHref } from '../sdk.mjs';
import { showStatus, track } from '../tracking.mjs';

const $ = (id) => document.getElementById(id);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function signIn(customer, method) {
  const parcours = await getParcours();
  const result = await parcours.identify(customer.userId, withLastOrderDate(customer.traits));
  if (!result.ok) {
    showStatus(`Could not sign in: ${result.error.message}`, 'error');
    return;
  }
  await track('Signed In', { method });
  const next = new URLSearchParams(location.search).get('next');
  location.href = next && /^[a-z-]+\.html$/.test(next) ? shopHref(next) : shopHref('./');
}

drawLayout();
getParcours();
$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const email = $('email').value;
  const valid = EMAIL.test(email.trim());
  $('email-error').hidden = valid;
  $('email').setAttribute('aria-invalid', String(!valid));
  if (valid) signIn(customerForEmail(email), 'email');
  else $('email').focus();
});
$('customers').replaceChildren(...DEMO_CUSTOMERS.map((customer) => {
  const button = element('button', { type: 'button', class: 'customer', 'data-user-id': customer.userId },
    element('span', { class: 'customer__name', text: customer.label }),
    element('span', { class: 'customer__email', text: customer.traits.email }));
  button.addEventListener('click', () => signIn(customer, 'demo customer'));
  return element('li', {}, button);
}));

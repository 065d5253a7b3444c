// Every tracking call of the shop goes through here: it runs the SDK call, keeps the result in
// window.shop.tracked (tests read it) and, when the page has a #status line, shows it there.
import { getParcours } from './sdk.mjs';

export function showStatus(text, kind) {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = text;
  status.dataset.kind = kind;
}

/** `track(event, properties)` through the SDK (an e-commerce helper when `helper` is given). */
export async function track(event, properties, helper) {
  const parcours = await getParcours();
  const result = helper ? await parcours.ecommerce[helper](properties) : await parcours.track(event, properties);
  window.shop.tracked.push({ event, result });
  if (result.ok) showStatus(`Tracked: ${event} ✓`, 'ok');
  else showStatus(`Not tracked: ${event} — ${result.error.message}`, 'error');
  return result;
}

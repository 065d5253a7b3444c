// Demo tour: each "Start" button forgets this browser's visitor (reset: new anonymous id, empty
// cart, caps and session) and opens the journey's first page, as a chosen visitor id for the A/B.
import { drawLayout } from '../layout.mjs';
import { getParcours, keptParams } from '../sdk.mjs';

drawLayout();
const started = getParcours();
for (const button of document.querySelectorAll('[data-start]')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    const parcours = await started;
    await parcours.flush();
    await parcours.reset();
    try {
      localStorage.removeItem('shop:coupon');
    } catch {
      // Storage disabled: nothing was kept.
    }
    const target = new URL(button.dataset.start, location.href);
    for (const [name, value] of keptParams()) target.searchParams.set(name, value);
    if (button.dataset.visitor) target.searchParams.set('pc_aid', button.dataset.visitor);
    location.href = target.href;
  });
}

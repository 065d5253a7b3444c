// Offers against a hostile world. A ruleset (and cart data) full of markup, `javascript:`
// URLs and `</style>` tricks shows its texts literally and runs nothing. A site stylesheet
// that hides, zeroes and recolours everything it can reach leaves the offers looking exactly
// as on a clean page. Each placement is photographed at 1280 and 375 px wide into
// tests/browser/screenshots/ (clean page, and the same under the hostile stylesheet).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { useShopAndBrowser } from '../support/browser-suite.mjs';
import { PLACEMENTS, fillCart, openOffersPage, placementRules, showOffer, slug } from '../support/offers-page.mjs';

const env = useShopAndBrowser();
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

const HOSTILE_CONTENT = {
  title: '<img src=x onerror="window.__pwned=1">',
  body: '</style><script>window.__pwned=2</script><style>',
  coupon: '"><svg onload="window.__pwned=3">',
  cta: '<b onmouseover="window.__pwned=4">Go</b>',
  ctaUrl: 'javascript:window.__pwned=5',
  image: 'java\tscript:window.__pwned=6',
  imageAlt: '" onerror="window.__pwned=7',
  dismiss: '<a href="javascript:window.__pwned=8">x</a>',
  products: { from: 'cart.items' },
};

test('a hostile ruleset shows its markup as text and runs nothing', async () => {
  const rules = placementRules(HOSTILE_CONTENT, ['modal']);
  env.server.rules.set(rules);
  const { context, page, errors } = await openOffersPage(env, { revision: rules.revision });
  try {
    await page.evaluate(() => window.offersPage.parcours.track('Product Added', {
      product_id: 'x', name: '<img src=x onerror="window.__pwned=9">', price: 1, currency: 'EUR',
      url: ' JaVaScRiPt:window.__pwned=10', image_url: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=11"/>',
    }));
    await showOffer(page, 'modal');
    const root = (selector) => page.locator(`parcours-offer ${selector}`);
    assert.equal(await root('.title').textContent(), HOSTILE_CONTENT.title);
    assert.equal(await root('.body').textContent(), HOSTILE_CONTENT.body);
    assert.equal(await root('.code').textContent(), HOSTILE_CONTENT.coupon);
    assert.equal(await root('.product .name').textContent(), '<img src=x onerror="window.__pwned=9">');
    // Refused URLs: the call to action is a plain button, the product card no link, no image at all.
    assert.equal(await root('.cta').evaluate((element) => element.tagName), 'BUTTON');
    const dom = await page.evaluate(() => {
      const shadow = document.querySelector('parcours-offer').shadowRoot;
      return {
        links: [...shadow.querySelectorAll('a')].map((a) => a.href),
        images: shadow.querySelectorAll('img').length,
        scripts: shadow.querySelectorAll('script, svg, b, style').length,
        attributes: [...shadow.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => /^on/i.test(n)),
      };
    });
    assert.deepEqual(dom.links, []);
    assert.equal(dom.images, 0);
    assert.equal(dom.scripts, 1, 'only the renderer\'s own stylesheet');
    assert.deepEqual(dom.attributes, []);
    await root('.cta').hover();
    await root('.code').hover();
    await root('.product').click();
    await root('.copy').click();
    await root('.cta').click();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no hostile script ran');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Layout and looks of the offer on screen, to compare a clean page with a hostile one. */
function measure(page, inline) {
  return page.evaluate((isInline) => {
    const shadow = document.querySelector('parcours-offer').shadowRoot;
    const box = (selector) => {
      const element = shadow.querySelector(selector);
      if (!element) return null;
      const r = element.getBoundingClientRect();
      // Inline offers sit wherever the slot is; only their size is theirs.
      return isInline ? [r.width, r.height] : [r.x, r.y, r.width, r.height];
    };
    const style = getComputedStyle(shadow.querySelector('.title'));
    return {
      card: box('.card'), title: box('.title'), close: box('.close'), cta: box('.cta'), code: box('.code'),
      font: [style.fontSize, style.fontFamily, style.color, style.letterSpacing, style.display],
    };
  }, inline);
}

for (const width of [1280, 375]) {
  test(`site CSS cannot break any placement at ${width} px; screenshots saved`, async () => {
    const rules = placementRules(undefined, PLACEMENTS);
    env.server.rules.set(rules);
    const viewport = { width, height: width === 375 ? 740 : 800 };
    for (const placement of PLACEMENTS) {
      const inline = placement.startsWith('inline:');
      const looks = {};
      for (const variant of ['clean', 'hostile']) {
        const { context, page, errors } = await openOffersPage(env, {
          revision: rules.revision, query: variant === 'hostile' ? 'hostile' : '',
          contextOptions: { viewport, reducedMotion: 'reduce' },
        });
        try {
          await fillCart(page);
          await showOffer(page, placement);
          if (inline) await page.evaluate(() => document.querySelector('[data-parcours-slot]').scrollIntoView({ block: 'center' }));
          await page.waitForFunction(() => [...document.querySelector('parcours-offer').shadowRoot.querySelectorAll('img')]
            .every((image) => image.complete));
          looks[variant] = await measure(page, inline);
          const suffix = variant === 'hostile' ? '-site-css' : '';
          await page.screenshot({ path: `${SCREENSHOTS}${slug(placement)}-${width}${suffix}.png`, animations: 'disabled' });
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      }
      assert.ok(looks.clean.card[looks.clean.card.length - 1] > 40, `${placement}: the card has a height`);
      assert.ok(looks.clean.cta, `${placement}: the call to action is there`);
      assert.deepEqual(looks.hostile, looks.clean, `${placement} at ${width} px looks the same under the site's CSS`);
      assert.ok(fs.statSync(`${SCREENSHOTS}${slug(placement)}-${width}.png`).size > 1000);
    }
  });
}

test('the theme option and the site\'s --parcours-* properties restyle offers', async () => {
  const rules = placementRules(undefined, ['slide-in']);
  env.server.rules.set(rules);
  const { context, page } = await openOffersPage(env, { revision: rules.revision, query: 'theme' });
  try {
    await showOffer(page, 'slide-in');
    const cta = page.locator('parcours-offer .cta');
    assert.equal(await cta.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(138, 59, 18)');
    assert.equal(await cta.evaluate((e) => getComputedStyle(e).borderTopLeftRadius), '4px');
    await page.evaluate(() => document.querySelector('parcours-offer').style.removeProperty('--parcours-accent'));
    await page.addStyleTag({ content: ':root { --parcours-accent: rgb(0, 128, 0); }' });
    assert.equal(await cta.evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(0, 128, 0)');
  } finally {
    await context.close();
  }
});

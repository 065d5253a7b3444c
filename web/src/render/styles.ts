// The offers' stylesheet, inside each offer's shadow root: the site's CSS cannot reach it and
// it cannot reach the site. `all: initial` on the root stops inherited site styles (fonts,
// colours, `font-size: 0` tricks); everything is themable through --parcours-* properties.

export const OFFER_CSS = `
.root {
  all: initial;
  display: block;
  box-sizing: border-box;
  font: 15px/1.45 var(--parcours-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  color: var(--parcours-text, #1d1d1f);
  text-align: start;
  -webkit-font-smoothing: antialiased;
}
.root *, .root *::before, .root *::after { box-sizing: border-box; }
.card {
  position: relative;
  display: flex;
  flex-direction: column;
  gap: 12px;
  background: var(--parcours-background, #fff);
  color: var(--parcours-text, #1d1d1f);
  border-radius: var(--parcours-radius, 12px);
  padding: 24px;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.22), 0 2px 6px rgba(0, 0, 0, 0.12);
  max-width: 100%;
  overflow: auto;
}
.card:focus { outline: none; }
.title { margin: 0; padding-inline-end: 32px; font-size: 20px; line-height: 1.25; font-weight: 700; }
.body { margin: 0; color: var(--parcours-text, #1d1d1f); }
.hero { display: block; width: 100%; max-height: 180px; object-fit: cover; border-radius: calc(var(--parcours-radius, 12px) - 4px); }
.close {
  position: absolute; top: 10px; inset-inline-end: 10px;
  width: 32px; height: 32px; padding: 0; border: 0; border-radius: 50%;
  background: transparent; color: var(--parcours-muted, #5f6368);
  font: 22px/32px system-ui, sans-serif; cursor: pointer; text-align: center;
}
.close:hover { background: rgba(0, 0, 0, 0.06); }
button, a.cta, input { font: inherit; }
:focus-visible { outline: 3px solid var(--parcours-accent, #1a56db); outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.cta {
  display: inline-flex; align-items: center; justify-content: center;
  min-height: 44px; padding: 10px 18px; border: 0; border-radius: var(--parcours-radius, 12px);
  background: var(--parcours-accent, #1a56db); color: var(--parcours-accent-text, #fff);
  font-weight: 600; text-decoration: none; cursor: pointer;
}
.secondary {
  min-height: 44px; padding: 10px 14px; border: 0; background: transparent;
  color: var(--parcours-muted, #5f6368); text-decoration: underline; cursor: pointer;
}
.coupon {
  display: flex; align-items: center; justify-content: space-between; gap: 8px; flex-wrap: wrap;
  padding: 8px 8px 8px 14px; border: 2px dashed var(--parcours-accent, #1a56db);
  border-radius: var(--parcours-radius, 12px);
}
.code { font: 700 18px/1.2 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: 0.06em; user-select: all; }
.copy {
  min-height: 36px; padding: 6px 12px; border: 1px solid var(--parcours-accent, #1a56db); border-radius: 8px;
  background: transparent; color: var(--parcours-accent, #1a56db); cursor: pointer; font-weight: 600;
}
.products { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 12px; }
.product a, .product .item { display: flex; flex-direction: column; gap: 4px; color: inherit; text-decoration: none; }
.product img { width: 100%; aspect-ratio: 1; object-fit: cover; border-radius: 8px; background: #f1f3f4; }
.product .name { font-weight: 600; font-size: 14px; }
.product .price { color: var(--parcours-muted, #5f6368); font-size: 14px; }
form { display: flex; flex-direction: column; gap: 10px; margin: 0; }
input[type="email"] {
  min-height: 44px; padding: 10px 12px; border: 1px solid var(--parcours-muted, #5f6368);
  border-radius: 8px; background: #fff; color: #1d1d1f;
}
.check { display: flex; gap: 8px; align-items: flex-start; font-size: 13px; color: var(--parcours-muted, #5f6368); }
.check input { margin: 3px 0 0; width: 16px; height: 16px; flex: none; }
.error { margin: 0; color: #b3261e; font-size: 13px; }
.error:empty { display: none; }
.success { margin: 0; font-weight: 600; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* Modal: centred over a dimmed page. */
.backdrop {
  position: fixed; inset: 0; display: flex; align-items: center; justify-content: center;
  padding: 16px; background: rgba(17, 17, 17, 0.55);
}
.modal .card { width: 440px; max-height: calc(100vh - 32px); }

/* Slide-in: a card in the bottom corner. */
.slide-in { position: fixed; inset-inline-end: 16px; bottom: 16px; width: 360px; max-width: calc(100vw - 32px); }
.slide-in .card { max-height: calc(100vh - 32px); }

/* Banners: full width, top or bottom. */
.banner { position: fixed; inset-inline: 0; }
.banner.top { top: 0; }
.banner.bottom { bottom: 0; }
.banner .card {
  flex-direction: row; flex-wrap: wrap; align-items: center; justify-content: center;
  gap: 8px 16px; padding: 12px 56px 12px 16px; border-radius: 0; max-height: 50vh;
}
.banner .title { font-size: 16px; padding: 0; }
.banner .hero, .banner .products { display: none; }
.banner .coupon { padding: 2px 2px 2px 10px; border-width: 1px; }
.banner .code { font-size: 15px; }
.banner .cta, .banner .secondary, .banner .copy { min-height: 36px; padding-block: 4px; }

/* Inline: flows in the page's slot; fills the space the site reserved, if any. In a wide
   slot the products sit beside the text. */
.inline { container-type: inline-size; }
.inline .card { box-shadow: none; border: 1px solid rgba(0, 0, 0, 0.12); }
.inline.reserved, .inline.reserved .card { height: 100%; }
@container (min-width: 640px) {
  .inline .card { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px 24px; align-content: start; }
  .inline .card > * { grid-column: 1; }
  .inline .card > .products { grid-column: 2; grid-row: 1 / span 8; grid-template-columns: repeat(3, minmax(0, 1fr)); }
}

@media (max-width: 480px) {
  .card { padding: 18px; }
  .modal .card { width: 100%; }
  .backdrop { align-items: flex-end; padding: 0; }
  .modal .card { border-radius: var(--parcours-radius, 12px) var(--parcours-radius, 12px) 0 0; max-height: 90vh; }
  .slide-in { inset-inline: 8px; bottom: 8px; width: auto; max-width: none; }
  .title { font-size: 18px; }
  .products { grid-template-columns: repeat(2, 1fr); }
}
@media (prefers-reduced-motion: no-preference) {
  .backdrop { animation: parcours-fade 180ms ease-out; }
  .modal .card, .slide-in .card { animation: parcours-rise 220ms ease-out; }
  .banner .card { animation: parcours-fade 180ms ease-out; }
}
@keyframes parcours-fade { from { opacity: 0; } to { opacity: 1; } }
@keyframes parcours-rise { from { opacity: 0; transform: translateY(16px); } to { opacity: 1; transform: none; } }
`;

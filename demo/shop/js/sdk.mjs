// The page's parcours client, set up the way a customer site would: from the npm build (ESM)
// on most pages, or adopted from the pre-load snippet (docs/SNIPPET.md) on the home page.
// Exposed as window.shop.parcours for tests and for anyone poking at the demo in devtools.

window.shop = window.shop ?? { tracked: [] };

const params = new URLSearchParams(location.search);

/** The demo's options: write key from the page's meta tag, events sent to this origin. */
export function parcoursOptions() {
  const writeKey = document.querySelector('meta[name="parcours-write-key"]')?.content ?? 'demo-key';
  // host '' = the page's own origin: the demo collector serves this shop and ingests events.
  // The demo collector accepts gzip, so the demo sends ~20x fewer bytes (docs/BENCHMARKS.md).
  const options = { writeKey, host: '', gzip: true };
  // ?flush=200 makes events leave quickly (tests, demos); the SDK default is 5000 ms.
  const flush = params.get('flush');
  if (flush !== null && /^\d{1,8}$/.test(flush)) options.flushIntervalMs = Number(flush);
  if (params.has('debug')) options.debug = true;
  return options;
}

/** Demo options worth keeping on links to other shop pages (not campaign or id parameters). */
export function keptParams() {
  const kept = new URLSearchParams();
  for (const name of ['flush', 'debug']) if (params.has(name)) kept.set(name, params.get(name));
  return kept;
}

/** A shop link that keeps the demo options: shopHref('product.html', { id: 'x' }). */
export function shopHref(page, extra = {}) {
  const query = keptParams();
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const text = query.toString();
  return text ? `${page}?${text}` : page;
}

function snippetClient() {
  const loaded = () => window.parcours && !Array.isArray(window.parcours) && window.parcours.ready ? window.parcours : null;
  if (loaded()) return Promise.resolve(loaded());
  const script = document.querySelector('script[src*="parcours.js"]');
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => (loaded() ? resolve(loaded()) : reject(new Error('parcours.js did not install a client'))));
    script.addEventListener('error', () => reject(new Error('parcours.js could not be loaded')));
  });
}

let client;

/**
 * The client, once there is one. ESM pages create it at once (calls are buffered until the
 * WASM core is ready); the snippet page waits for its async script, which replays what the
 * snippet recorded.
 */
export function getParcours() {
  if (!client) {
    // The snippet's stub (an array), or the client its script already installed.
    const fromSnippet = window.parcours && (Array.isArray(window.parcours) ? window.parcours.snippet : window.parcours.ready);
    client = fromSnippet
      ? snippetClient()
      : import('/dist/parcours.mjs').then(({ createParcours }) => createParcours(parcoursOptions()));
    client.then((parcours) => { window.shop.parcours = parcours; });
  }
  return client;
}


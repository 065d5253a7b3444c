// Finds and compiles parcours.wasm: streaming compile in browsers, the bytes read from disk
// in Node (Emscripten 3.1.6's own loader breaks on Node 20's global fetch, so we have none).

/** Where the wasm comes from: given bytes, a URL, or (default) next to this script. */
export interface WasmSource {
  wasmBinary?: ArrayBuffer | Uint8Array;
  wasmUrl?: string | URL;
  fetch?: typeof fetch;
}

// A script tag's src is only readable while the script first runs, so it is captured at load.
const scriptSrc: string | undefined =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

function defaultWasmUrl(): URL {
  // In the ESM build this is the module's own URL; the script-tag build defines it as undefined.
  const moduleUrl: string | undefined = import.meta.url;
  const base = scriptSrc || moduleUrl || (typeof location !== 'undefined' ? location.href : undefined);
  if (!base) throw new Error('cannot tell where parcours.wasm is: pass the wasmUrl or wasmBinary option');
  return new URL('parcours.wasm', base);
}

async function readFileInNode(url: URL): Promise<Uint8Array> {
  // Kept out of reach of bundlers, which would otherwise try to pack node: modules for browsers.
  const fsModule = 'node:fs/promises';
  const { readFile } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule)) as {
    readFile(path: URL): Promise<Uint8Array>;
  };
  return readFile(url);
}

async function instantiateBytes(bytes: ArrayBuffer | Uint8Array, imports: WebAssembly.Imports) {
  const source = (await WebAssembly.instantiate(bytes as BufferSource, imports)) as WebAssembly.WebAssemblyInstantiatedSource;
  return source.instance;
}

export async function instantiateWasm(
  source: WasmSource,
  imports: WebAssembly.Imports,
): Promise<WebAssembly.Instance> {
  if (source.wasmBinary) {
    return instantiateBytes(source.wasmBinary, imports);
  }
  const url = source.wasmUrl ? new URL(String(source.wasmUrl), defaultWasmUrl()) : defaultWasmUrl();
  if (isNode() && url.protocol === 'file:') {
    return instantiateBytes(await readFileInNode(url), imports);
  }
  const fetchImpl = source.fetch ?? fetch;
  const response = await fetchImpl(url.href, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`fetching ${url.href} answered HTTP ${response.status}`);
  const isWasmMime = (response.headers.get('content-type') ?? '').startsWith('application/wasm');
  if (isWasmMime && typeof WebAssembly.instantiateStreaming === 'function') {
    return (await WebAssembly.instantiateStreaming(response, imports)).instance;
  }
  // Servers that send the wrong MIME type still work, compiling after the download.
  return instantiateBytes(await response.arrayBuffer(), imports);
}

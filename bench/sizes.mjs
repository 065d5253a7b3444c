// Size of what the npm package ships: raw, gzip -9 and brotli (max quality) per file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const SHIPPED = ['parcours.wasm', 'parcours.mjs', 'parcours.js'];

/** The ESM build's offer renderer chunk (hashed name), loaded only when a first offer is drawn. */
export function rendererChunk(dist) {
  return readdirSync(dist).find((file) => /^parcours-renderer-.*\.mjs$/.test(file));
}

export function measureSizes(dist) {
  const chunk = rendererChunk(dist);
  return [...SHIPPED, ...(chunk ? [chunk] : [])].map((file) => {
    const bytes = readFileSync(join(dist, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

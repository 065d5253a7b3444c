// Size of what the npm package ships: raw, gzip -9 and brotli (max quality) per file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const SHIPPED = ['parcours.wasm', 'parcours.mjs', 'parcours.js'];

export function measureSizes(dist) {
  return SHIPPED.map((file) => {
    const bytes = readFileSync(join(dist, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

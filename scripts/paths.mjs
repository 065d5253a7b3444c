// Folder locations shared by the build, test, demo and bench scripts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const NATIVE_BUILD = join(ROOT, 'build', 'native');
export const WASM_BUILD = join(ROOT, 'build', 'wasm');

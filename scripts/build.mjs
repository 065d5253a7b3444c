// `npm run build`: the WASM core (emcc via CMake) and the TypeScript shell (esbuild + tsc)
// into dist/. `--native` also builds the native core and its tests. Incremental: CMake
// rebuilds only what changed, esbuild and tsc take a second or two.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateErrorCodes } from './generate-error-codes.mjs';
import { DIST, NATIVE_BUILD, ROOT, WASM_BUILD } from './paths.mjs';
import { run } from './run.mjs';
import { ensurePrerequisites } from './setup.mjs';

// emcc's optimizer runs on node and needs Debian's node modules.
const emccEnv = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
const jobs = ['-j', '2'];

export function buildNative() {
  run('cmake', ['-S', ROOT, '-B', NATIVE_BUILD, '-DCMAKE_BUILD_TYPE=Release', '-Wno-dev'], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('cmake', ['--build', NATIVE_BUILD, ...jobs]);
}

export function buildWasm() {
  run('emcmake', ['cmake', '-S', ROOT, '-B', WASM_BUILD, '-DCMAKE_BUILD_TYPE=Release', `-DPARCOURS_DIST_DIR=${DIST}`], {
    env: emccEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  run('cmake', ['--build', WASM_BUILD, ...jobs], { env: emccEnv });
}

export async function buildWeb() {
  generateErrorCodes();
  const esbuild = await import('esbuild');
  const common = {
    entryPoints: [join(ROOT, 'web/src/index.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
  };
  // The ESM build splits the offer renderer into its own chunk, loaded on the first offer
  // drawn; chunk names carry a hash, so the previous build's are removed first.
  for (const file of readdirSync(DIST)) {
    if (/^parcours-.*\.mjs(\.map)?$/.test(file)) rmSync(join(DIST, file));
  }
  await esbuild.build({
    ...common,
    format: 'esm',
    platform: 'neutral',
    splitting: true,
    outdir: DIST,
    entryNames: 'parcours',
    chunkNames: 'parcours-[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'web/src/script-tag.ts')],
    format: 'iife',
    platform: 'browser',
    // A classic script has no import.meta; the wasm is found from document.currentScript.
    define: { 'import.meta.url': 'undefined' },
    outfile: join(DIST, 'parcours.js'),
  });
  run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')]);
}

export async function buildAll({ native = false } = {}) {
  mkdirSync(DIST, { recursive: true });
  if (native) buildNative();
  buildWasm();
  await buildWeb();
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const native = process.argv.includes('--native');
  ensurePrerequisites(native ? 'test' : 'demo');
  await buildAll({ native });
  console.log(`parcours: built ${DIST}`);
}

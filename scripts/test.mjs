// `npm test`: installs what is missing, builds native + WASM + shell, then runs the three
// suites — native Boost.Test (via CTest), node:test, and browser tests in Chromium — and
// prints each suite's counts and a total line.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from './build.mjs';
import { NATIVE_BUILD, ROOT } from './paths.mjs';
import { ensurePrerequisites } from './setup.mjs';

/** Runs a command, echoing its output live, and resolves with its exit code and output. */
function runCaptured(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function number(output, pattern) {
  const match = output.match(pattern);
  return match ? Number(match[1]) : 0;
}

async function nativeSuite() {
  const { code, output } = await runCaptured('ctest', ['--test-dir', NATIVE_BUILD, '-V', '--output-on-failure']);
  const passed = number(output, /(\d+) test cases? out of \d+ passed/);
  const failed = number(output, /(\d+) test cases? out of \d+ failed/);
  return { name: 'native (Boost.Test)', passed, failed: code !== 0 && failed === 0 ? 1 : failed, code };
}

async function nodeSuite(name, folder, extraArgs = []) {
  const files = readdirSync(join(ROOT, folder))
    .filter((file) => file.endsWith('.test.mjs'))
    .map((file) => join(folder, file));
  const { code, output } = await runCaptured(process.execPath, [
    '--test',
    '--test-reporter=spec',
    ...extraArgs,
    ...files,
  ]);
  const passed = number(output, /ℹ pass (\d+)/);
  const failed = number(output, /ℹ fail (\d+)/);
  return { name, passed, failed: code !== 0 && failed === 0 ? 1 : failed, code };
}

ensurePrerequisites('test');
await buildAll({ native: true });

const results = [];
results.push(await nativeSuite());
results.push(await nodeSuite('node (node:test)', 'tests/node'));
// One browser at a time: two cores, and each test starts its own Chromium.
results.push(await nodeSuite('browser (node:test + Chromium)', 'tests/browser', ['--test-concurrency=1']));

console.log('\nparcours test summary');
for (const r of results) console.log(`  ${r.name}: ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.some((r) => r.code !== 0) ? 1 : 0);

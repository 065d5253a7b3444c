// Native/WASM parity: the same input log replayed by the native core (parcours_replay) and
// by dist/parcours.wasm (through the package's loadCore) must give byte-identical outputs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../dist/parcours.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const replayTool = join(root, 'build/native/tests/native/parcours_replay');
const fixtures = join(root, 'tests/fixtures/replay');
const allOutputs = [];

for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.jsonl'))) {
  test(`replay ${name}: native and WASM outputs are byte-identical`, async () => {
    const path = join(fixtures, name);
    const inputs = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const native = execFileSync(replayTool, [path], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const core = await loadCore();
    const wasm = inputs.map((input) => core.handleJson(input));
    assert.equal(wasm.length, inputs.length);
    assert.equal(native.length, inputs.length);
    for (let i = 0; i < inputs.length; i += 1) assert.equal(wasm[i], native[i], `output ${i + 1} differs`);
    allOutputs.push(...wasm.map((line) => JSON.parse(line)));
  });
}

test('the replay logs, together, exercise every effect and a refused input', () => {
  const effects = new Set(allOutputs.flatMap((output) => output.effects.map((effect) => effect.type)));
  for (const type of ['send', 'persist', 'remove', 'schedule', 'log']) assert.ok(effects.has(type), `no ${type} effect`);
  assert.ok(allOutputs.some((output) => output.ok === false), 'no refused input');
  assert.ok(allOutputs.some((output) => output.effects.some((effect) => effect.unload)), 'no unload send');
});

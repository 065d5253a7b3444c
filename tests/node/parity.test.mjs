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
    // The log is meant to exercise sends, retries and refusals; make sure it still does.
    const outputs = wasm.map((line) => JSON.parse(line));
    const effects = outputs.flatMap((output) => output.effects.map((effect) => effect.type));
    for (const type of ['send', 'persist', 'schedule', 'log']) assert.ok(effects.includes(type), `no ${type} effect`);
    assert.ok(outputs.some((output) => output.ok === false), 'no refused input');
  });
}

// The core stays pure: no Emscripten, clock, randomness or I/O in sdk/ (DESIGN.md). Only
// bindings/ may include Emscripten headers.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

const FORBIDDEN = [
  [/emscripten/i, 'Emscripten'],
  [/<chrono>|system_clock|steady_clock|time\(NULL\)|time\(nullptr\)/, 'a clock'],
  [/random_device|[^_a-zA-Z]rand\(/, 'ambient randomness'],
  [/fopen|<fstream>|<iostream>|std::cout|printf\(/, 'I/O'],
];

test('sdk/ contains no Emscripten, clock, randomness or I/O', () => {
  const hits = [];
  for (const file of sourceFiles(join(root, 'sdk'))) {
    readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
      for (const [pattern, what] of FORBIDDEN) {
        if (pattern.test(line)) hits.push(`${relative(root, file)}:${index + 1} uses ${what}: ${line.trim()}`);
      }
    });
  }
  assert.deepEqual(hits, []);
});

test('only bindings/ includes Emscripten headers', () => {
  const outside = ['sdk', 'web', 'tests/native']
    .flatMap((folder) => sourceFiles(join(root, folder)))
    .filter((file) => /#include\s*<emscripten/.test(readFileSync(file, 'utf8')));
  assert.deepEqual(outside, []);
  const inside = sourceFiles(join(root, 'bindings')).filter((file) => /#include\s*<emscripten/.test(readFileSync(file, 'utf8')));
  assert.ok(inside.length > 0, 'bindings/ should hold the Emscripten boundary');
});

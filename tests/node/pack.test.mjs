// `npm pack` → install the tarball into an empty folder → import it from a separate Node 20
// process → send an event to a running collector: what a user of the npm package does.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withCollector, WRITE_KEY } from '../support/sdk-fixtures.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

function runNode(cwd, source) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

test('the packed tarball installs into an empty folder and sends an event', async () => {
  const work = mkdtempSync(join(tmpdir(), 'parcours-pack-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
    )[0];
    const files = packed.files.map((file) => file.path);
    for (const needed of ['dist/parcours.wasm', 'dist/parcours.mjs', 'dist/parcours.js', 'dist/types/index.d.ts']) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    }
    assert.ok(files.some((file) => /^dist\/parcours-renderer-.*\.mjs$/.test(file)), 'the offer renderer chunk is missing');
    assert.ok(!files.some((file) => file.startsWith('sdk/') || file.startsWith('tests/')), 'sources leaked');

    const consumer = join(work, 'consumer');
    execFileSync('mkdir', ['-p', consumer]);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
      cwd: consumer,
      stdio: 'ignore',
    });

    await withCollector(async (collector) => {
      const script = `
        import { createParcours } from 'parcours';
        const parcours = createParcours({ writeKey: ${JSON.stringify(WRITE_KEY)}, host: ${JSON.stringify(collector.url)} });
        const result = await parcours.track('Installed From Tarball', { via: 'npm pack' });
        const flushed = await parcours.flush();
        console.log(JSON.stringify({ result, flushed }));`;
      const { code, out, err } = await runNode(consumer, script);
      assert.equal(code, 0, err);
      const { result, flushed } = JSON.parse(out.trim());
      assert.equal(result.ok, true);
      assert.equal(flushed.delivered, true);
      const [event] = collector.store.all();
      assert.equal(event.messageId, result.messageId);
      assert.equal(event.event, 'Installed From Tarball');
      assert.deepEqual(event.context.library, { name: 'parcours', version });
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

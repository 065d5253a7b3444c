// `parcours simulate` replays an event log through the WASM core: the sample log's cart
// left idle gets the cart reminder, with its explanation; bad input gets a clear message.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { simulate } from '../../dist/parcours.mjs';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../bin/parcours.mjs', import.meta.url));
const fixture = (name) => fileURLToPath(new URL(`../fixtures/simulate/${name}`, import.meta.url));
const readEvents = () => readFileSync(fixture('events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

test('the CLI prints the cart reminder for the idle cart, with its explanation', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'simulate', '--rules', fixture('rules.json'), '--events', fixture('events.jsonl')]);
  const lines = stdout.split('\n');
  const show = lines.findIndex((line) => line.includes('SHOW cart-reminder'));
  assert.ok(show >= 0, stdout);
  // Alice's last cart change was at 09:00:10; 30 s of idling later the reminder fires.
  assert.match(lines[show], /^2026-11-21T09:00:40\.000Z {2}anon-alice {2}SHOW cart-reminder variant default in modal {2}<- cartIdle$/);
  assert.match(lines[show + 1], /Still thinking about Linen shirt\? \| Your cart \(€49\.50\) is saved for you\. \| \[Back to my cart\] \| products: Linen shirt/);
  assert.match(lines[show + 2], /- cart-reminder: shown \(variant default\)/);
  // Bob's cart never reached 20 €, then he ordered: no reminder for him.
  assert.ok(!stdout.includes('anon-bob  SHOW'), stdout);
  assert.match(stdout, /cart-reminder: 1 shown, 0 held out/);
});

test('the JS API returns the same decision as data', async () => {
  const result = await simulate({ rules: readFileSync(fixture('rules.json'), 'utf8'), events: readEvents() });
  assert.equal(result.visitors, 2);
  assert.equal(result.events, 7);
  assert.equal(result.revision, 'sim-1');
  assert.equal(result.decisions.length, 1);
  const [decision] = result.decisions;
  assert.equal(decision.visitor, 'anon-alice');
  assert.equal(decision.campaign, 'cart-reminder');
  assert.equal(decision.trigger, 'cartIdle');
  assert.deepEqual(decision.content.products.map((p) => p.name), ['Linen shirt']);
  assert.equal(decision.explanation.considered.outcomes.shown, 1);
});

test('a short idle tail and a refusing ruleset are reported clearly', async () => {
  const brief = await simulate({ rules: readFileSync(fixture('rules.json'), 'utf8'), events: readEvents(), tailMs: 0 });
  assert.equal(brief.decisions.length, 0);  // No time left after the last event for the timer.
  await assert.rejects(
    simulate({ rules: { format: 1, campaigns: [{ id: 'x' }] }, events: readEvents() }),
    /rules\.invalid.*campaigns\.0/,
  );
  await assert.rejects(
    run(process.execPath, [CLI, 'simulate', '--rules', fixture('rules.json')]),
    (error) => error.code === 2 && /both --rules and --events are required/.test(error.stderr),
  );
  await assert.rejects(
    run(process.execPath, [CLI, 'simulate', '--rules', fixture('missing.json'), '--events', fixture('events.jsonl')]),
    (error) => error.code === 2 && /cannot read .*missing\.json/.test(error.stderr),
  );
});

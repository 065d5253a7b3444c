#!/usr/bin/env node
// `npx parcours simulate --rules rules.json --events events.jsonl`: replays an event log
// (the collector's JSONL, one Segment event per line) through the real WASM core and a
// ruleset, and prints which offers would have shown, when, to whom, and why.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = `Usage: parcours simulate --rules rules.json --events events.jsonl [--json] [--brief] [--tail-minutes 120]

  --rules         the ruleset to try (docs/RULES.md)
  --events        a JSONL event log: one Segment event (track, page, identify) per line
  --json          print the decisions as JSON instead of text
  --brief         one line per decision, without the explanation of every campaign considered
  --tail-minutes  how long after a visitor's last event timers may still fire (default 120)`;

function fail(message) {
  console.error(`parcours: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function readEvents(path) {
  const events = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch (error) {
      fail(`${path}:${index + 1} is not a JSON event (${error.message})`);
    }
  });
  return events;
}

function describeContent(content) {
  if (!content) return '';
  const parts = [content.title, content.body, content.cta && `[${content.cta}]`, content.coupon && `code ${content.coupon}`]
    .filter(Boolean);
  const products = (content.products ?? []).map((p) => p.name).filter(Boolean);
  if (products.length > 0) parts.push(`products: ${products.join(', ')}`);
  return parts.join(' | ');
}

function printText(result, brief) {
  console.log(`Ruleset ${result.revision || '(no revision)'}: ${result.campaigns} campaigns; ` +
              `${result.events} events from ${result.visitors} visitors.\n`);
  for (const decision of result.decisions) {
    const what = decision.variant === null
      ? `HELD OUT ${decision.campaign} (control group: nothing shown)`
      : `SHOW ${decision.campaign} variant ${decision.variant} in ${decision.placement}`;
    console.log(`${decision.at}  ${decision.visitor}  ${what}  <- ${decision.trigger}`);
    if (decision.content) console.log(`    ${describeContent(decision.content)}`);
    if (brief) continue;
    const considered = decision.explanation.considered ?? decision.explanation;
    for (const entry of considered.campaigns ?? []) {
      console.log(`    - ${entry.campaign}: ${entry.outcome}${entry.reason ? ` (${entry.reason})` : ''}`);
    }
  }
  const counts = new Map();
  for (const decision of result.decisions) {
    const count = counts.get(decision.campaign) ?? { shown: 0, heldOut: 0 };
    if (decision.variant === null) count.heldOut += 1;
    else count.shown += 1;
    counts.set(decision.campaign, count);
  }
  console.log(`\n${result.decisions.length} decisions.`);
  for (const [campaign, count] of counts) console.log(`  ${campaign}: ${count.shown} shown, ${count.heldOut} held out`);
  for (const problem of result.problems) console.log(`  note: ${problem}`);
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'simulate') fail(command ? `unknown command "${command}"` : 'no command given');
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        rules: { type: 'string' }, events: { type: 'string' }, json: { type: 'boolean' },
        brief: { type: 'boolean' }, 'tail-minutes': { type: 'string' },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (!values.rules || !values.events) fail('both --rules and --events are required');
  const tail = values['tail-minutes'] === undefined ? 120 : Number(values['tail-minutes']);
  if (!Number.isFinite(tail) || tail < 0) fail('--tail-minutes must be a number of minutes');
  let rules;
  try {
    rules = readFileSync(values.rules, 'utf8');
  } catch (error) {
    fail(`cannot read ${values.rules}: ${error.message}`);
  }
  const events = readEvents(values.events);
  const { simulate } = await import('../dist/parcours.mjs');
  let result;
  try {
    result = await simulate({ rules, events, tailMs: tail * 60000 });
  } catch (error) {
    console.error(`parcours: ${error.message}`);
    process.exit(1);
  }
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else printText(result, values.brief === true);
}

await main();

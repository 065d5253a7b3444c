// The ruleset documentation stays true: every example ruleset (demo/rules/*.json and each
// ```json block marked `<!-- ruleset -->` in docs/RULES.md) validates against
// docs/ruleset.schema.json, and the schema refuses what the parser refuses.
// The examples are exported so a test that loads them into the WASM core can reuse them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The marker line that makes the ```json block after it a complete ruleset. */
export const RULESET_MARKER = '<!-- ruleset -->';

/** Absolute paths of the demo rulesets. */
export const exampleFiles = readdirSync(join(root, 'demo/rules'))
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => join(root, 'demo/rules', name));

/** The complete rulesets in docs/RULES.md: `{ name: 'RULES.md:<line>', text }`, in order. */
export function docRulesets(markdown = readFileSync(join(root, 'docs/RULES.md'), 'utf8')) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim() !== RULESET_MARKER) continue;
    assert.equal(lines[i + 1], '```json', `RULES.md:${i + 1}: ${RULESET_MARKER} must be followed by a \`\`\`json fence`);
    const end = lines.indexOf('```', i + 2);
    assert.ok(end > i, `RULES.md:${i + 2}: unclosed json block`);
    blocks.push({ name: `RULES.md:${i + 2}`, text: lines.slice(i + 2, end).join('\n') });
  }
  return blocks;
}

/** Every example ruleset as `{ name, text }`: the demo files, then the documentation's. */
export function rulesetExamples() {
  return [
    ...exampleFiles.map((file) => ({ name: file.slice(root.length), text: readFileSync(file, 'utf8') })),
    ...docRulesets(),
  ];
}

const schema = JSON.parse(readFileSync(join(root, 'docs/ruleset.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false }).compile(schema);

function problems(ruleset) {
  return validate(ruleset) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

test('demo/rules has shop.json and minimal.json', () => {
  const names = exampleFiles.map((file) => file.split(/[\\/]/).pop());
  assert.ok(names.includes('shop.json') && names.includes('minimal.json'), names.join(', '));
});

test('docs/RULES.md marks at least one complete ruleset', () => {
  assert.ok(docRulesets().length >= 1);
});

for (const { name, text } of rulesetExamples()) {
  test(`${name} is a valid ruleset`, () => {
    const ruleset = JSON.parse(text);
    assert.deepEqual(problems(ruleset), []);
    // The schema cannot say it: ids unique per ruleset, variant ids per campaign.
    const ids = ruleset.campaigns.map((campaign) => campaign.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate campaign id in ${ids.join(', ')}`);
    for (const campaign of ruleset.campaigns) {
      const variants = (campaign.variants ?? []).map((variant) => variant.id);
      assert.equal(new Set(variants).size, variants.length, `duplicate variant id in ${campaign.id}`);
    }
  });
}

const minimal = () => ({
  format: 1,
  campaigns: [{ id: 'c', placement: 'modal', trigger: { type: 'sessionStart' }, content: { title: 'Hi' } }],
});

/** `minimal()` with its campaign changed by `edit`. */
function withCampaign(edit) {
  const ruleset = minimal();
  edit(ruleset.campaigns[0]);
  return ruleset;
}

const refused = {
  'an unknown trigger type': withCampaign((c) => { c.trigger = { type: 'pageLeave' }; }),
  'both content and variants': withCampaign((c) => { c.variants = [{ id: 'a', content: { title: 'A' } }]; }),
  'neither content nor variants': withCampaign((c) => { delete c.content; }),
  'a holdout of 1': withCampaign((c) => { c.holdout = 1; }),
  'a missing format': (() => { const r = minimal(); delete r.format; return r; })(),
  'format 2': { ...minimal(), format: 2 },
  'an unknown content field': withCampaign((c) => { c.content.tilte = 'Hi'; }),
  'a timer without seconds': withCampaign((c) => { c.trigger = { type: 'cartIdle' }; }),
  'an event trigger without its event': withCampaign((c) => { c.trigger = { type: 'event' }; }),
  'variant weights adding up to 0': withCampaign((c) => {
    delete c.content;
    c.variants = [{ id: 'a', weight: 0, content: {} }, { id: 'b', weight: 0, content: {} }];
  }),
  'a schedule date that is not ISO 8601': withCampaign((c) => { c.schedule = { start: '01/12/2026' }; }),
  'quiet hours from 24': { ...minimal(), governance: { quietHours: { from: 24, to: 8 } } },
  'an empty placement': withCampaign((c) => { c.placement = ''; }),
  'products without from': withCampaign((c) => { c.content.products = { limit: 3 }; }),
  'an unknown content kind': withCampaign((c) => { c.content.kind = 'popup'; }),
  'a content kind that is not a string': withCampaign((c) => { c.content.kind = 1; }),
  'a consent label that is not a string': withCampaign((c) => { c.content.consent = true; }),
};

for (const [what, ruleset] of Object.entries(refused)) {
  test(`the schema refuses ${what}`, () => {
    assert.notDeepEqual(problems(ruleset), [], JSON.stringify(ruleset));
  });
}

test('the schema accepts what the parser ignores: unknown campaign and top-level members, unused trigger members', () => {
  const ruleset = withCampaign((c) => {
    c.owner = 'crm-team';
    c.trigger = { type: 'sessionStart', seconds: 'ignored' };
  });
  ruleset.publishedBy = 'studio';
  assert.deepEqual(problems(ruleset), []);
});

test('the schema accepts every content kind and the form fields', () => {
  for (const kind of ['offer', 'emailCapture', 'pushOptIn']) {
    const ruleset = withCampaign((c) => {
      c.content = { kind, title: 'Hi', placeholder: 'you@example.com', consent: 'I agree', success: 'Thanks' };
    });
    assert.deepEqual(problems(ruleset), [], kind);
  }
});

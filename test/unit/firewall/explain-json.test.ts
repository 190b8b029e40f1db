import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { explain } from '../../../src/api/explain.js';
import { renderExplainJson, renderExplainText } from '../../../src/output/explain-render.js';

const fixtureFile = (name: string): string => fileURLToPath(new URL(`../../../../test/fixtures/firewall/${name}`, import.meta.url));
const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../docs/schema/explain.schema.json', import.meta.url)), 'utf8')) as object;

test('explain --json from a ruleset file matches docs/schema/explain.schema.json, row by row', async () => {
  const r = await explain({ rulesetFile: fixtureFile('sample.json'), ports: [22, 24, 2222, 3333, 99, 443], onlyPorts: true, from: ['192.0.2.5', '2001:db8::5'], iface: 'eth0' });
  const doc = JSON.parse(renderExplainJson(r)) as { ports: { port: number; family: string; verdict: string; predicted: string; rule: { handle?: number } | null }[] };
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.equal(doc.ports.length, 12);
  const row = (port: number, family: string) => doc.ports.find((p) => p.port === port && p.family === family)!;
  assert.deepEqual([row(24, 'ipv4').verdict, row(24, 'ipv4').predicted, row(24, 'ipv4').rule?.handle], ['reject', 'filtered', 23]);
  assert.deepEqual([row(3333, 'ipv4').verdict, row(3333, 'ipv4').predicted], ['forward', 'unknown']);
  assert.deepEqual([row(99, 'ipv4').verdict, row(99, 'ipv4').predicted], ['indeterminate', 'unknown']);
});

test('explain text escapes control characters from rule comments', async () => {
  const doc = {
    nftables: [
      { chain: { family: 'inet', table: 't', name: 'input', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'accept' } },
      { rule: { family: 'inet', table: 't', chain: 'input', handle: 2, comment: 'evil\u001b[31m\nline\u202e', expr: [{ drop: null }] } },
    ],
  };
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'portscope-fw-'));
  try {
    writeFileSync(join(dir, 'r.json'), JSON.stringify(doc));
    const text = renderExplainText(await explain({ rulesetFile: join(dir, 'r.json'), ports: [1], onlyPorts: true, from: '192.0.2.9' }));
    assert.ok(![...text].some((c) => (c < ' ' && c !== '\n') || c === '\u202e'), text);
    assert.match(text, /evil\\x1b\[31m\\x0aline\\u\{202e\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('explain --scan marks where the observed state differs from the predicted one', async () => {
  const scan = fileURLToPath(new URL('../../../../test/fixtures/history/a-versions.xml', import.meta.url));
  const r = await explain({ rulesetFile: fixtureFile('sample.json'), scanFile: scan, ports: [23, 2000], onlyPorts: true, from: '192.0.2.5', iface: 'eth0' });
  const p23 = r.ports.find((p) => p.port === 23)!;
  assert.deepEqual([p23.predicted, p23.observed, p23.mismatch], ['filtered', { state: 'closed', reason: 'conn-refused' }, true]);
  const p2000 = r.ports.find((p) => p.port === 2000)!;
  assert.equal(p2000.observed, undefined, 'a port the scan did not cover has no observation');
  assert.match(renderExplainText(r), /23\/tcp ipv4: drop → filtered \(no-response\) {2}OBSERVED closed \(conn-refused\) ≠ predicted/);
});

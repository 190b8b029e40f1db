import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHECKS, FINDING_TYPES } from '../../../src/audit/checks/index.js';
import { IgnoreSchema } from '../../../src/audit/policy-schema.js';
import { SEVERITIES } from '../../../src/audit/report-schema.js';
import { FINDING_DOCS } from '../../../src/index.js';

const AUDIT_MD = readFileSync(new URL('../../../../docs/audit.md', import.meta.url), 'utf8');

test('every finding type comes from one check module, named once, with a description and a known severity', () => {
  assert.deepEqual(
    FINDING_TYPES,
    CHECKS.map((c) => c.type),
  );
  assert.equal(new Set(FINDING_TYPES).size, FINDING_TYPES.length);
  for (const c of CHECKS) {
    assert.ok(c.describe.short.length > 0 && c.describe.full.length > c.describe.short.length, c.type);
    assert.ok((SEVERITIES as readonly string[]).includes(c.severity), c.type);
    assert.deepEqual(FINDING_DOCS[c.type], { ...c.describe, severity: c.severity });
  }
});

test("the policy accepts exactly the table's finding types in ignore rules", () => {
  for (const type of FINDING_TYPES) assert.ok(IgnoreSchema.safeParse({ finding: type, reason: 'r', expires: '2030-01-01' }).success, type);
  assert.equal(IgnoreSchema.safeParse({ finding: 'no-such-finding', reason: 'r', expires: '2030-01-01' }).success, false);
});

test("docs/audit.md's finding-type table lists the checks in table order, each with its severity", () => {
  const rows = [...AUDIT_MD.matchAll(/^\| <a id="([a-z-]+)"><\/a>`\1` \|.*\| ([^|]+) \|$/gm)].map((m) => ({ type: m[1]!, severity: m[2]! }));
  assert.deepEqual(
    rows.map((r) => r.type),
    FINDING_TYPES,
  );
  for (const c of CHECKS) {
    const row = rows.find((r) => r.type === c.type)!;
    assert.match(row.severity, new RegExp(`\\b${c.severity}\\b`), `${c.type}: docs say "${row.severity.trim()}", the check says ${c.severity}`);
  }
});

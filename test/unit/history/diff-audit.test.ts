import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffAudits, type AuditDiffInput as AuditRecord } from '../../../src/history/diff-audit.js';
import type { AuditFindingSummary as AuditFindingRecord } from '../../../src/model/index.js';
import { formatAuditDiffJson, formatAuditDiffText } from '../../../src/output/diff-audit-text.js';

const f = (fingerprint: string, severity: string, port: number): AuditFindingRecord => ({ fingerprint, type: 'open-not-allowed', severity, title: `tcp/${port} is listening`, host: 'local', protocol: 'tcp', port });
const audit = (id: number, findings: AuditFindingRecord[], policyHash: string | null = 'aa'): AuditRecord => ({ id, startedAt: Date.UTC(2026, 0, id), policyPath: 'p.yaml', policyHash, findings });

test('findings are new, resolved, changed or unchanged by fingerprint, whatever their order', () => {
  const a = audit(1, [f('x:80', 'high', 80), f('x:22', 'low', 22), f('x:25', 'low', 25)]);
  const b = audit(2, [f('x:443', 'medium', 443), f('x:25', 'high', 25), f('x:22', 'low', 22)]);
  const d = diffAudits(a, b);
  assert.deepEqual(
    d.findings.map((x) => `${x.kind}:${x.fingerprint}`),
    ['new:x:443', 'changed:x:25', 'resolved:x:80', 'unchanged:x:22'],
  );
  assert.deepEqual(d.counts, { new: 1, resolved: 1, changed: 1, unchanged: 1 });
  assert.equal(d.findings[1]!.severityBefore, 'low');
  assert.equal(d.changed, true);
  assert.equal(d.policyChanged, false);
});

test('an audit compared with an equal one is unchanged', () => {
  const d = diffAudits(audit(1, [f('x:22', 'low', 22)]), audit(2, [f('x:22', 'low', 22)]));
  assert.equal(d.changed, false);
  assert.deepEqual(d.counts, { new: 0, resolved: 0, changed: 0, unchanged: 1 });
});

test('a different policy hash is reported, and the text says so', () => {
  const d = diffAudits(audit(1, [], 'a'.repeat(64)), audit(2, [f('x:22', 'low', 22)], 'b'.repeat(64)));
  assert.equal(d.policyChanged, true);
  const text = formatAuditDiffText(d);
  assert.match(text, /^portscope diff audit #1 \(2026-01-01T00:00:00Z, policy p\.yaml\) -> audit #2 /);
  assert.match(text, /policy differs .*aaaaaaaaaaaa -> bbbbbbbbbbbb/);
  assert.match(text, /^\+ +low +open-not-allowed +local 22\/tcp +new +tcp\/22 is listening$/m);
  assert.match(text, /findings: 1 new, 0 resolved, 0 changed severity, 0 unchanged\n$/);
  assert.equal(JSON.parse(formatAuditDiffJson(d)).kind, 'audit');
});

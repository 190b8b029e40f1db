import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditRecordFromResult } from '../../../src/api/audit-save.js';
import type { AuditResult } from '../../../src/api/audit.js';
import type { PortResult } from '../../../src/model/index.js';

const port = (p: number, state: PortResult['state']): PortResult => ({ protocol: 'tcp', port: p, state, reason: state === 'open' ? 'syn-ack' : 'conn-refused', tries: 1 });

function result(outside: { address: string; ports: PortResult[] }[][]): AuditResult {
  const report = {
    tool: 'portscope',
    version: '0.1.0',
    generatedAt: '2026-01-02T03:04:05.000Z',
    policy: { path: 'p.yaml' },
    hosts: [{ host: 'local', kind: 'local', inside: true, outside: { addresses: [], ports: 0, from: 'this-machine' } }],
    findings: [],
    ignored: [],
    expiredIgnores: [],
    limits: [],
    summary: { total: 0, bySeverity: { info: 0, low: 0, medium: 2, high: 0, critical: 1 }, failOn: 'low', failed: false },
  } as unknown as AuditResult['report'];
  return { report, views: outside.map((o, i) => ({ host: i ? '192.0.2.7' : 'local', kind: i ? 'remote' : 'local', names: [], inside: null, extras: new Map(), outside: o, firewalls: [] })) };
}

test('the outside scans become one scan record, an address in two views stored once with sorted ports', () => {
  const rec = auditRecordFromResult(
    result([
      [
        { address: '192.0.2.7', ports: [port(443, 'open'), port(22, 'closed')] },
        { address: '2001:db8::7', ports: [port(80, 'open')] },
      ],
      [{ address: '192.0.2.7', ports: [port(22, 'closed'), port(8080, 'open')] }],
    ]),
    { args: 'portscope audit --save', policyHash: 'h', endedAt: 5 },
  );
  assert.deepEqual([rec.startedAt, rec.endedAt, rec.policyPath, rec.policyHash, rec.targets], [Date.UTC(2026, 0, 2, 3, 4, 5), 5, 'p.yaml', 'h', ['local']]);
  assert.deepEqual(rec.bySeverity, { critical: 1, high: 0, medium: 2, low: 0, info: 0 });
  assert.deepEqual(
    rec.scan!.hosts.map((h) => [h.address, h.family, h.status, h.ports.map((p) => p.port)]),
    [
      ['192.0.2.7', 4, 'up', [22, 443, 8080]],
      ['2001:db8::7', 6, 'up', [80]],
    ],
  );
  assert.equal(rec.scan!.args, 'portscope audit --save');
});

test('an audit without an outside scan has no scan record', () => {
  assert.equal(auditRecordFromResult(result([[]]), { args: 'a', policyHash: null }).scan, undefined);
});

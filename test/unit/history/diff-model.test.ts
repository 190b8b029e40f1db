import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { diffScans } from '../../../src/history/diff-model.js';
import { formatDiffJson } from '../../../src/output/diff-json.js';
import { parseScanDocument } from '../../../src/history/readers/index.js';
import { formatDiffText } from '../../../src/output/diff-text.js';
import { webhookBody } from '../../../src/output/diff-webhook.js';
import type { HostRecord, PortRecord, ScanRecord } from '../../../src/store/types.js';

const fixture = (name: string): ScanRecord => {
  const path = fileURLToPath(new URL(`../../../../test/fixtures/history/${name}`, import.meta.url));
  return parseScanDocument(readFileSync(path, 'utf8'), name);
};

const port = (p: number, state: PortRecord['state'], service?: PortRecord['service']): PortRecord => ({ protocol: 'tcp', port: p, state, reason: 'x', ...(service ? { service } : {}) });
const hostOf = (address: string, ports: PortRecord[], status = 'up'): HostRecord => ({ address, family: 4, status, statusReason: '', ports });
const scanOf = (hosts: HostRecord[]): ScanRecord => ({ startedAt: 0, endedAt: 0, scanner: 'portscope', version: '', args: '', source: 'scan', interrupted: false, hosts });

const CASES: { name: string; a: PortRecord[]; b: PortRecord[]; expect: string[] }[] = [
  { name: 'identical ports are no change', a: [port(22, 'open'), port(23, 'closed')], b: [port(22, 'open'), port(23, 'closed')], expect: [] },
  { name: 'closed to open is a new port', a: [port(80, 'closed')], b: [port(80, 'open')], expect: ['new 80 state'] },
  { name: 'open to closed is a gone port', a: [port(80, 'open')], b: [port(80, 'closed')], expect: ['gone 80 state'] },
  { name: 'open, then not scanned, is gone', a: [port(80, 'open')], b: [], expect: ['gone 80 state'] },
  { name: 'a closed port not scanned again is no change', a: [port(80, 'closed')], b: [], expect: [] },
  { name: 'closed to filtered is a changed port', a: [port(80, 'closed')], b: [port(80, 'filtered')], expect: ['changed 80 state'] },
  { name: 'open to open|filtered is a changed state', a: [port(53, 'open')], b: [port(53, 'open|filtered')], expect: ['changed 53 state'] },
  {
    name: 'a new version of the same product is a changed version',
    a: [port(80, 'open', { name: 'http', product: 'nginx', version: '1.22' })],
    b: [port(80, 'open', { name: 'http', product: 'nginx', version: '1.24' })],
    expect: ['changed 80 version'],
  },
  {
    name: 'another service on the same port is a changed service and product',
    a: [port(8080, 'open', { name: 'http', product: 'Jetty' })],
    b: [port(8080, 'open', { name: 'http-proxy', product: 'squid' })],
    expect: ['changed 8080 service,product'],
  },
  { name: 'a closed port whose table name differs is no change', a: [port(9, 'closed', { name: 'discard' })], b: [port(9, 'closed')], expect: [] },
];

for (const c of CASES) {
  test(`diff: ${c.name}`, () => {
    const d = diffScans(scanOf([hostOf('192.0.2.1', c.a)]), scanOf([hostOf('192.0.2.1', c.b)]));
    const got = d.hosts.flatMap((h) => h.ports.map((p) => `${p.kind} ${p.port} ${p.fields.join(',')}`));
    assert.deepEqual(got, c.expect);
    assert.equal(d.changed, c.expect.length > 0);
  });
}

test('diff: a host that went down is gone with its open ports; a new host comes with its open ports', () => {
  const d = diffScans(scanOf([hostOf('192.0.2.1', [port(22, 'open')])]), scanOf([hostOf('192.0.2.1', [], 'down'), hostOf('192.0.2.2', [port(25, 'open'), port(26, 'closed')])]));
  assert.deepEqual(
    d.hosts.map((h) => [h.address, h.kind, h.ports.map((p) => `${p.kind} ${p.port}`)]),
    [
      ['192.0.2.1', 'gone', ['gone 22']],
      ['192.0.2.2', 'new', ['new 25']],
    ],
  );
  assert.deepEqual(d.counts, { hostsNew: 1, hostsGone: 1, portsNew: 1, portsGone: 1, portsChanged: 0 });
});

test('diff of two nmap -sV files: version change, open to filtered, host down, new host (the lines ndiff prints)', () => {
  const d = diffScans(fixture('a-versions.xml'), fixture('b-versions.xml'));
  const lines = d.hosts.flatMap((h) => [`${h.address} ${h.kind}`, ...h.ports.map((p) => `  ${p.kind} ${p.port}/${p.protocol} ${p.fields.join(',')}`)]);
  assert.deepEqual(lines, ['192.0.2.10 changed', '  changed 80/tcp version', '  gone 443/tcp state', '192.0.2.12 gone', '192.0.2.13 new', '  new 993/tcp state']);
  const text = formatDiffText(d);
  assert.match(text, /~ 80\/tcp\s+open\s+http nginx 1\.24\.0\s+changed: version 1\.22\.1 -> 1\.24\.0/);
  assert.match(text, /- 443\/tcp\s+open\s+https\s+gone \(now filtered\)/);
  assert.match(text, /^192\.0\.2\.10 \(web\.example\):$/m);
  const json = JSON.parse(formatDiffJson(d)) as { formatVersion: number; changed: boolean; counts: Record<string, number> };
  assert.deepEqual([json.formatVersion, json.changed, json.counts.portsNew, json.counts.portsGone, json.counts.portsChanged], [1, true, 1, 1, 1]);
});

test('diff of a file with itself says "No changes."', () => {
  const d = diffScans(fixture('a-versions.xml'), fixture('a-versions.xml'));
  assert.equal(d.changed, false);
  assert.match(formatDiffText(d), /No changes\.\n$/);
});

test('webhook bodies: generic carries the JSON diff and ids, slack a text message', () => {
  const d = diffScans(fixture('a-versions.xml'), fixture('b-versions.xml'));
  const ctx = { scheduleId: 3, targets: ['192.0.2.0/28'], everyMs: 3_600_000, scanId: 9, previousScanId: 8 };
  const g = JSON.parse(webhookBody('generic', d, ctx)) as { event: string; scanId: number; previousScanId: number; schedule: { everySeconds: number }; diff: { counts: { portsNew: number } } };
  assert.deepEqual([g.event, g.scanId, g.previousScanId, g.schedule.everySeconds, g.diff.counts.portsNew], ['portscope.watch.change', 9, 8, 3600, 1]);
  const s = JSON.parse(webhookBody('slack', d, ctx)) as Record<string, string>;
  assert.deepEqual(Object.keys(s), ['text']);
  assert.match(s.text!, /1 new, 1 gone, 1 changed ports \(scan #9 vs #8\)/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeHostReports, mergeScanResults, type HostReport, type ScanResults } from '../../../src/index.js';
import { indexResume } from '../../../src/api/resume.js';

function host(address: string, status: HostReport['status'], reason: string, ports: [number, string][], complete = true): HostReport {
  return {
    address,
    family: 4,
    hostnames: [],
    spec: address,
    status,
    statusReason: reason,
    startTime: 1000,
    endTime: 2000,
    ports: ports.map(([port, state]) => ({ protocol: 'tcp', port, state: state as 'open', reason: state === 'open' ? 'syn-ack' : 'conn-refused', tries: 1 })),
    complete,
    timedOut: false,
    stats: { probesSent: ports.length, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 100 },
  };
}

function part(hosts: HostReport[]): ScanResults {
  return {
    start: { scanner: 'portscope', version: 't', args: 'x', startTime: 1000, scanInfo: [{ type: 'connect', protocol: 'tcp', numServices: 3, services: '1-3' }], verbose: 0 },
    hosts,
    summary: { startTime: 1000, endTime: 2000, elapsedMs: 1000, hostsTotal: hosts.length, hostsUp: 0, hostsDown: 0, probesSent: 3, interrupted: false, targetProblems: [] },
  };
}

test('merging shards keeps one host per address with the union of its ports, sorted', () => {
  const m = mergeScanResults([part([host('192.0.2.2', 'up', 'syn-ack', [[3, 'open']])]), part([host('192.0.2.2', 'up', 'syn-ack', [[1, 'closed']]), host('192.0.2.3', 'down', 'no-response', [])])]);
  assert.deepEqual(
    m.hosts.map((h) => h.address),
    ['192.0.2.2', '192.0.2.3'],
  );
  assert.deepEqual(
    m.hosts[0]!.ports.map((p) => p.port),
    [1, 3],
  );
  assert.equal(m.summary.hostsUp, 1);
  assert.equal(m.summary.hostsDown, 1);
  assert.equal(m.summary.probesSent, 6);
});

test('a host up in one part and down in another is up, with the reason of the part that saw it', () => {
  const h = mergeHostReports([host('192.0.2.2', 'down', 'no-response', []), host('192.0.2.2', 'up', 'arp-response', [[1, 'closed']])]);
  assert.equal(h.status, 'up');
  assert.equal(h.statusReason, 'arp-response');
});

test('a port two parts both report keeps the answered state', () => {
  const h = mergeHostReports([host('192.0.2.2', 'up', 'syn-ack', [[1, 'filtered']]), host('192.0.2.2', 'up', 'syn-ack', [[1, 'open']])]);
  assert.deepEqual(
    h.ports.map((p) => p.state),
    ['open'],
  );
});

test('resume: complete hosts are finished, partial up hosts keep their settled ports, hosts cut before any port restart', () => {
  const idx = indexResume([host('192.0.2.2', 'up', 'syn-ack', [[1, 'open']]), host('192.0.2.3', 'up', 'conn-refused', [[2, 'closed']], false), host('192.0.2.4', 'up', '', [], false), host('192.0.2.5', 'down', 'no-response', [])]);
  assert.deepEqual([...idx.finished].sort(), ['192.0.2.2', '192.0.2.5']);
  assert.deepEqual([...idx.settled.keys()], ['192.0.2.3']);
  assert.deepEqual([...idx.settled.get('192.0.2.3')!.ports], [2]);
  assert.equal(idx.settled.get('192.0.2.3')!.upReason, 'conn-refused');
});

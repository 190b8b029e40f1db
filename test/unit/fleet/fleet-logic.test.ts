/** Pure parts of the fleet: fleet findings, rate shares, vantage differences, transient errors, queue names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateFleet, type AddressView } from '../../../src/audit/fleet.js';
import { vantageDifferences, type MergedScan } from '../../../src/fleet/merge.js';
import { queueName } from '../../../src/fleet/queue.js';
import { isTransient } from '../../../src/fleet/retry.js';
import { eligible, sharePerWorker } from '../../../src/fleet/rows.js';
import { parseScanArgs } from '../../../src/cli/scan-args.js';
import type { ListeningSnapshot, PortResult } from '../../../src/model/index.js';
import { closedRuns, expandRuns, sampleMergedHosts } from '../../../src/fleet/results.js';
import { SendPacer } from '../../../src/engine/send-pacer.js';
import { resolveTiming } from '../../../src/engine/timing.js';
import { serviceName } from '../../../src/ports/index.js';

const machine = (id: string, addresses: string[], ports: { port: number; address?: string }[]): ListeningSnapshot => ({
  machineId: id,
  hostname: `h-${id}`,
  addresses,
  takenAt: 1,
  version: 'x',
  sockets: ports.map((p) => ({ protocol: 'tcp', family: 4, address: p.address ?? '0.0.0.0', port: p.port, exposure: p.address ? 'interface' : 'all-interfaces', processes: [{ pid: 1, name: `d${p.port}`, user: 'root' }], owner: 'root' })),
});
const view = (ports: Record<string, string>, openSince: string[] = [], probed: string[] = []): AddressView => ({
  latest: { scanId: 7, startedAt: 1, status: 'up', ports: new Map(Object.entries(ports)) },
  openSince: new Set(openSince),
  probedSince: new Set(probed),
});

test('fleet findings name the machine whose address the outside scan saw', () => {
  const machines = [machine('a', ['198.51.100.1'], [{ port: 22 }, { port: 5432 }]), machine('b', ['198.51.100.2'], [{ port: 80 }])];
  const views = new Map([
    ['198.51.100.1', view({ 'tcp/22': 'open', 'tcp/5432': 'filtered' }, ['tcp/22'], ['tcp/22', 'tcp/5432'])],
    ['198.51.100.2', view({ 'tcp/80': 'open', 'tcp/8080': 'open' }, ['tcp/80', 'tcp/8080'], ['tcp/80', 'tcp/8080'])],
  ]);
  const got = evaluateFleet({ machines, views, days: 7 }).map((f) => `${f.type} ${f.machineId} ${f.port}`);
  assert.deepEqual(got.sort(), ['listener-not-seen a 5432', 'listening-all-filtered a 5432', 'open-not-in-policy a 22', 'open-not-in-policy b 80', 'open-not-in-policy b 8080'].sort());
});

test('a listener bound to one address is judged only at that address, and an unscanned machine is one info finding', () => {
  const machines = [machine('a', ['198.51.100.1', '198.51.100.9'], [{ port: 25, address: '198.51.100.9' }]), machine('c', ['203.0.113.5'], [{ port: 22 }])];
  const views = new Map([['198.51.100.1', view({})]]);
  const got = evaluateFleet({ machines, views, days: 3 }).map((f) => `${f.type} ${f.machineId} ${f.address}`);
  assert.deepEqual(got, ['machine-not-scanned c ']);
});

test('the global rate is split evenly over live workers, at least 1 each; no global rate, no share', () => {
  assert.equal(sharePerWorker(3000, 3), 1000);
  assert.equal(sharePerWorker(3000, 0), 3000);
  assert.equal(sharePerWorker(2, 5), 1);
  assert.equal(sharePerWorker(null, 3), null);
});

test("only workers of the scan's version, with the vantage label when there is one, are eligible", () => {
  const ws = [
    { id: '1', hostname: 'h', labels: ['dmz'], version: '1.0.0', state: 'idle' },
    { id: '2', hostname: 'h', labels: [], version: '1.0.0', state: 'busy' },
    { id: '3', hostname: 'h', labels: ['dmz'], version: '0.9.0', state: 'idle' },
  ];
  assert.deepEqual(
    eligible(ws, '1.0.0', '').map((w) => w.id),
    ['1', '2'],
  );
  assert.deepEqual(
    eligible(ws, '1.0.0', 'dmz').map((w) => w.id),
    ['1'],
  );
});

test('vantage differences list only the ports whose state differs', () => {
  const scan = (vantage: string, states: Record<number, string>): MergedScan => ({
    vantage,
    start: { scanner: 'portscope', version: 'x', args: '', startTime: 0, scanInfo: [], verbose: 0 },
    summary: { startTime: 0, endTime: 0, elapsedMs: 0, hostsTotal: 1, hostsUp: 1, hostsDown: 0, probesSent: 0, interrupted: false, targetProblems: [] },
    hosts: [
      {
        address: '192.0.2.2',
        family: 4,
        hostnames: [],
        spec: '',
        status: 'up',
        statusReason: 'user-set',
        startTime: 0,
        endTime: 0,
        ports: Object.entries(states).map(([p, s]) => ({ protocol: 'tcp', port: Number(p), state: s as 'open', reason: 'syn-ack', tries: 1 })),
        complete: true,
        timedOut: false,
        stats: { probesSent: 0, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 0 },
      },
    ],
  });
  const d = vantageDifferences([scan('in', { 22: 'open', 80: 'open' }), scan('out', { 22: 'filtered', 80: 'open' })]);
  assert.deepEqual(d, [{ address: '192.0.2.2', protocol: 'tcp', port: 22, states: { in: 'open', out: 'filtered' } }]);
});

test('connection losses are transient (retried), SQL errors are not', () => {
  assert.equal(isTransient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), true);
  assert.equal(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })), true);
  assert.equal(isTransient(new Error('Connection terminated unexpectedly')), true);
  assert.equal(isTransient(Object.assign(new Error('duplicate key'), { code: '23505' })), false);
  assert.equal(isTransient(Object.assign(new Error('password authentication failed'), { code: '28P01' })), false);
});

test("queue names carry the version (and the label), in pg-boss's alphabet", () => {
  assert.equal(queueName('1.2.3', ''), 'portscope.shards.1.2.3');
  assert.equal(queueName('1.2.3+build 7', 'dmz'), 'portscope.shards.1.2.3_build_7.dmz');
});

test('scan --distribute flags: --shards N is the split, --shard I is refused, the others need --distribute', () => {
  const o = parseScanArgs(['--distribute', '--shards', '6', '--from-workers', 'a,b', '--max-rate-per-worker', '500', '--lease', '30', '--db', 'postgres://x@/y', '192.0.2.0/28']);
  assert.deepEqual(o.distribute, { mode: 'distribute', fromWorkers: ['a', 'b'], maxRatePerWorker: 500, leaseSeconds: 30, shards: 6 });
  assert.equal(o.scan.shard, undefined);
  assert.throws(() => parseScanArgs(['--distribute', '--shards', '2', '--shard', '1', '192.0.2.1']), /--distribute hands every shard/);
  assert.throws(() => parseScanArgs(['--detach', '192.0.2.1']), /need --distribute/);
  assert.throws(() => parseScanArgs(['--attach', '1', '--cancel', '2']), /cannot be combined/);
  assert.deepEqual(parseScanArgs(['--attach', '12']).distribute, { mode: 'attach', id: 12 });
});

test('closed-at-first-try ports become runs per (protocol, reason) and expand back to the same ports; others are not runs', () => {
  // As the engine reports them: the port table's service name, when the port has one (host-job.ts).
  const closed = (port: number, extra: Partial<PortResult> = {}): PortResult => {
    const name = serviceName(port, 'tcp');
    return { protocol: 'tcp', port, state: 'closed', reason: 'conn-refused', tries: 1, ...(name ? { service: { name, method: 'table', conf: 3 } } : {}), ...extra } as PortResult;
  };
  const ports: PortResult[] = [closed(5), closed(1), closed(2), closed(3), closed(9), closed(10), closed(7, { tries: 2 }), { protocol: 'tcp', port: 4, state: 'open', reason: 'syn-ack', tries: 1 }, closed(22)];
  const { runs, count } = closedRuns(ports);
  assert.deepEqual(runs, [['tcp', 'conn-refused', '1-3,5,9-10,22']]);
  assert.equal(count, 7);
  assert.deepEqual(expandRuns(runs[0]![2]), [1, 2, 3, 5, 9, 10, 22]);
  // A service that is not the port table's own name (or a probed one) is kept as a row of its own.
  assert.equal(closedRuns([closed(22, { service: { name: 'ssh', method: 'probed', conf: 10 } })]).count, 0);
  assert.equal(closedRuns([{ protocol: 'tcp', port: 22, state: 'closed', reason: 'conn-refused', tries: 1 }]).count, 0, 'port 22 without its table name would not come back the same');
  assert.deepEqual(expandRuns(''), []);
});

test('the send pacer follows a live rate (maxRateNow) and falls back to --max-rate when it is 0', () => {
  let live = 0;
  const timing = resolveTiming({ maxRate: 1000 }, 1024);
  const pacer = new SendPacer(timing, () => live);
  pacer.start();
  assert.equal(pacer.msUntilToken(), 1, 'the first token is there');
  pacer.spend(1);
  assert.equal(Math.round(pacer.msUntilToken()), 1, '1000/s: a token per ms');
  live = 10;
  assert.ok(pacer.msUntilToken() > 50, `10/s: about 100 ms to the next token (${pacer.msUntilToken()})`);
  live = 0;
  assert.ok(pacer.msUntilToken() < 2);
});

test("the coordinator's warm-up sample goes through the real merge: sorted ports, closed runs expanded, open rows kept", () => {
  const hosts = sampleMergedHosts(3);
  assert.deepEqual(
    hosts.map((h) => h.address),
    ['192.0.2.1', '192.0.2.2', '192.0.2.3'],
  );
  for (const h of hosts) {
    assert.equal(h.ports.length, 500);
    assert.deepEqual(
      h.ports.map((p) => p.port),
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    assert.deepEqual(
      h.ports.filter((p) => p.state === 'open').map((p) => p.port),
      [22, 80, 443],
    );
    assert.equal(h.ports.find((p) => p.port === 21)?.service?.name, serviceName(21, 'tcp'));
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requiredAttempts } from '../../../src/engine/retry-policy.js';
import { Scheduler, type EnginePlan, type TargetItem } from '../../../src/engine/scheduler.js';
import { resolveTiming } from '../../../src/engine/timing.js';
import type { HostReport, ScanEvent } from '../../../src/model/index.js';
import { dryBackend } from '../../../src/net/dry-backend.js';
import { fakeNetwork, type Truth } from './fake-network.js';

function targets(addresses: string[], problems: string[] = []): AsyncIterable<TargetItem> {
  return (async function* () {
    for (const p of problems) yield { kind: 'problem', problem: { spec: p, message: `Failed to resolve "${p}".` } };
    for (const address of addresses) yield { kind: 'target', target: { address, family: 4, spec: address } };
  })();
}

function plan(over: Partial<EnginePlan> & Pick<EnginePlan, 'targets' | 'ports' | 'backend'>): EnginePlan {
  return {
    start: { scanner: 'portscope', version: 'test', args: 'test', startTime: Date.now(), scanInfo: [], verbose: 0 },
    timing: resolveTiming({ template: 4, minRttTimeoutMs: 5, initialRttTimeoutMs: 20, maxRttTimeoutMs: 50 }, 4096),
    discoveryPorts: null,
    isLoopback: () => false,
    serviceName: () => undefined,
    wildcard: { minPorts: 20, openRatio: 0.9 },
    progressIntervalMs: 0,
    ...over,
  };
}

async function collect(p: EnginePlan): Promise<ScanEvent[]> {
  const s = new Scheduler(p);
  s.run();
  const out: ScanEvent[] = [];
  for await (const ev of s.events) out.push(ev);
  return out;
}

const hostsOf = (evs: ScanEvent[]): HostReport[] => evs.flatMap((e) => (e.kind === 'host' ? [e.host] : []));
const range = (a: number, b: number): Uint16Array => Uint16Array.from({ length: b - a + 1 }, (_, i) => a + i);

test('a dry run probes every target and port exactly once and reports each once', async () => {
  const addrs = ['192.0.2.1', '192.0.2.2', '192.0.2.3'];
  const evs = await collect(plan({ targets: targets(addrs), ports: range(1, 500), backend: dryBackend }));
  const hosts = hostsOf(evs);
  assert.deepEqual(hosts.map((h) => h.address).sort(), addrs);
  for (const h of hosts) {
    assert.equal(h.ports.length, 500);
    assert.deepEqual(
      h.ports.map((p) => p.port),
      [...range(1, 500)],
    );
    assert.ok(h.ports.every((p) => p.tries === 1 && p.reason === 'dry-run'));
    assert.equal(h.complete, true);
  }
  const end = evs.at(-1);
  assert.equal(end?.kind, 'end');
  assert.equal(end.kind === 'end' && end.summary.probesSent, 1500);
  assert.equal(evs[0]?.kind, 'start');
});

test('target problems are reported and the other hosts are still scanned', async () => {
  const evs = await collect(plan({ targets: targets(['192.0.2.9'], ['nonexistent.invalid']), ports: range(1, 10), backend: dryBackend }));
  assert.equal(evs.filter((e) => e.kind === 'target-problem').length, 1);
  assert.equal(hostsOf(evs).length, 1);
  const end = evs.at(-1)!;
  assert.ok(end.kind === 'end' && end.summary.targetProblems.length === 1);
});

test('with 10% random loss every port is classified right: loss is retried, drops become filtered', async () => {
  const truth = (_a: string, port: number): Truth => (port % 5 === 0 ? 'open' : port % 5 < 3 ? 'closed' : 'drop');
  const net = fakeNetwork(truth, 0.1, 7);
  const evs = await collect(plan({ targets: targets(['192.0.2.2']), ports: range(1, 3000), backend: net.factory }));
  const [host] = hostsOf(evs);
  assert.ok(host);
  let wrong = 0;
  for (const p of host.ports) {
    const t = truth('', p.port);
    const expected = t === 'open' ? 'open' : t === 'closed' ? 'closed' : 'filtered';
    if (p.state !== expected) wrong++;
  }
  assert.equal(host.ports.length, 3000);
  assert.equal(wrong, 0, `${wrong} ports misclassified`);
  assert.ok(host.stats.lateAnswers > 0, 'loss must have been noticed');
  assert.ok(host.stats.retriesUsed >= 3, `retries used ${host.stats.retriesUsed}`);
});

test('without loss on a well-sampled host, a dropped port gets exactly one retry', async () => {
  const net = fakeNetwork((_a, port) => (port <= 3000 ? 'closed' : 'drop'), 0);
  const evs = await collect(plan({ targets: targets(['192.0.2.2']), ports: range(1, 4000), backend: net.factory }));
  const [host] = hostsOf(evs);
  assert.ok(host);
  const filtered = host.ports.filter((p) => p.state === 'filtered');
  assert.equal(filtered.length, 1000);
  assert.ok(filtered.every((p) => p.tries === 2 && p.reason === 'no-response'));
  assert.equal(net.sent(), 5000);
});

test('without loss on a small sample, dropped ports get the attempts the loss bound asks for', async () => {
  const net = fakeNetwork((_a, port) => (port <= 50 ? 'closed' : 'drop'), 0);
  const evs = await collect(plan({ targets: targets(['192.0.2.2']), ports: range(1, 100), backend: net.factory }));
  const [host] = hostsOf(evs);
  assert.ok(host);
  const filtered = host.ports.filter((p) => p.state === 'filtered');
  const k = requiredAttempts(0, 50, 11);
  assert.ok(k > 2);
  assert.equal(filtered.length, 50);
  assert.ok(filtered.every((p) => p.tries === k && p.reason === 'no-response'));
  assert.equal(net.sent(), 50 + 50 * k);
});

test('--max-retries caps retries and the host reports the cap was hit', async () => {
  const truth = (_a: string, port: number): Truth => (port % 2 ? 'closed' : 'drop');
  const net = fakeNetwork(truth, 0.3, 3);
  const timing = resolveTiming({ template: 4, maxRetries: 1, minRttTimeoutMs: 5, initialRttTimeoutMs: 10, maxRttTimeoutMs: 20 }, 4096);
  const evs = await collect(plan({ targets: targets(['192.0.2.2']), ports: range(1, 1000), backend: net.factory, timing }));
  const [host] = hostsOf(evs);
  // biome-ignore lint/complexity/useOptionalChain: `host &&` narrows host for the lines below
  assert.ok(host && host.ports.every((p) => p.tries <= 2));
  assert.ok(host.stats.retryCapHit > 0);
});

test('a host where every port answers open is flagged as a wildcard host', async () => {
  const net = fakeNetwork(() => 'open', 0);
  const evs = await collect(plan({ targets: targets(['192.0.2.2', '192.0.2.3']), ports: range(1, 100), backend: net.factory }));
  for (const h of hostsOf(evs)) {
    assert.ok(h.wildcard, `${h.address} not flagged`);
    assert.equal(h.wildcard.probed, 100);
  }
});

test('a host with a few open ports is not a wildcard host', async () => {
  const net = fakeNetwork((_a, p) => (p < 10 ? 'open' : 'closed'), 0);
  const [host] = hostsOf(await collect(plan({ targets: targets(['192.0.2.2']), ports: range(1, 100), backend: net.factory })));
  assert.equal(host?.wildcard, undefined);
});

test('host discovery marks a host whose ping ports are dropped as down and skips its port scan', async () => {
  const net = fakeNetwork((a, p) => (a === '192.0.2.2' && p === 443 ? 'closed' : 'drop'), 0);
  const evs = await collect(plan({ targets: targets(['192.0.2.2', '192.0.2.3']), ports: range(1, 50), backend: net.factory, discoveryPorts: Uint16Array.of(80, 443) }));
  const hosts = new Map(hostsOf(evs).map((h) => [h.address, h]));
  assert.equal(hosts.get('192.0.2.2')?.status, 'up');
  assert.equal(hosts.get('192.0.2.2')?.statusReason, 'conn-refused');
  assert.equal(hosts.get('192.0.2.2')?.ports.length, 50);
  assert.equal(hosts.get('192.0.2.3')?.status, 'down');
  assert.equal(hosts.get('192.0.2.3')?.ports.length, 0);
});

test('an abort stops the scan; started hosts come back incomplete and the summary says interrupted', async () => {
  const controller = new AbortController();
  const net = fakeNetwork(() => 'drop', 0);
  const timing = resolveTiming({ template: 3, minRttTimeoutMs: 200, initialRttTimeoutMs: 200, maxRttTimeoutMs: 200, maxParallelism: 10 }, 4096);
  const s = new Scheduler(plan({ targets: targets(['192.0.2.2']), ports: range(1, 1000), backend: net.factory, timing, signal: controller.signal }));
  s.run();
  setTimeout(() => controller.abort('Interrupted by SIGINT'), 50);
  const evs: ScanEvent[] = [];
  for await (const ev of s.events) evs.push(ev);
  const [host] = hostsOf(evs);
  assert.equal(host?.complete, false);
  const end = evs.at(-1)!;
  assert.ok(end.kind === 'end' && end.summary.interrupted && end.summary.exitMessage === 'Interrupted by SIGINT');
});

test('one scheduler object can be created twice in a process and each scan is independent', async () => {
  const a = await collect(plan({ targets: targets(['192.0.2.1']), ports: range(1, 20), backend: dryBackend }));
  const b = await collect(plan({ targets: targets(['192.0.2.1']), ports: range(1, 20), backend: dryBackend }));
  assert.deepEqual(hostsOf(a)[0]?.ports, hostsOf(b)[0]?.ports);
});

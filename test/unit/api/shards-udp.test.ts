import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkTargets } from '../../../src/api/walk-targets.js';
import { Scheduler, type EnginePlan } from '../../../src/engine/scheduler.js';
import { resolveTiming } from '../../../src/engine/timing.js';
import { planShards, scan, type HostReport } from '../../../src/index.js';
import type { BackendFactory } from '../../../src/net/backend.js';
import { dryBackend } from '../../../src/net/dry-backend.js';
import { dryUdpBackend, type UdpBackendFactory } from '../../../src/net/udp-backend.js';
import { fakeResolver } from '../targets/fake-resolver.js';

/**
 * UDP on the pair walk (docs/scale.md "UDP in the walk"): the port axis is TCP ports then UDP ports, so
 * shards of a -sT -sU scan own disjoint (host, port, protocol) triples that together cover the space, and
 * the engine probes each host on exactly its share of both. Dry backends: nothing is sent.
 */
const resolver = fakeResolver({});
const TCP = [22, 80, 443];
const UDP = [53, 123, 161, 500];

test('planShards -sT -sU: every (address, port, protocol) in exactly one shard; shardOf agrees; TCP and UDP both present', async () => {
  const plan = await planShards({ targets: ['198.51.100.0/28', '2001:db8::/126'], tcp: true, udp: true, ports: 'T:22,80,443,U:53,123,161,500', seed: 'u', count: 3, resolver });
  assert.deepEqual(plan.ports, TCP);
  assert.deepEqual(plan.udpPorts, UDP);
  assert.equal(plan.pairs, 20 * (TCP.length + UDP.length));
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    let n = 0;
    for (const { address, port, protocol } of plan.pairsOf(i)) {
      const key = `${address} ${port}/${protocol}`;
      assert.ok(!seen.has(key), `${key} twice`);
      seen.add(key);
      assert.equal(plan.shardOf(address, port, protocol), i);
      n++;
    }
    assert.equal(n, plan.shardSize(i));
  }
  assert.equal(seen.size, plan.pairs);
  assert.equal([...seen].filter((k) => k.endsWith('/udp')).length, 20 * UDP.length);
  assert.equal(plan.shardOf('198.51.100.1', 22, 'udp'), undefined, 'a TCP-only port asked as UDP');
  assert.equal(plan.shardOf('198.51.100.1', 53, 'tcp'), undefined, 'a UDP-only port asked as TCP');
});

test('planShards -sU alone: the walk holds UDP pairs only; writePairLines prints ADDRESS PORT/udp, chunk after chunk', async () => {
  const plan = await planShards({ targets: ['192.0.2.0/29', '2001:db8::ffff:0/126'], udp: true, ports: '53,161,65535', seed: 7, count: 2, resolver });
  assert.deepEqual(plan.ports, []);
  assert.deepEqual(plan.udpPorts, [53, 161, 65535]);
  for (let i = 0; i < 2; i++) {
    const pairs = [...plan.pairsOf(i)];
    assert.ok(pairs.every((p) => p.protocol === 'udp'));
    const want = pairs.map((p) => `${p.address} ${p.port}/udp\n`).join('');
    const buf = new Uint8Array(110);
    let got = '';
    for (let from = 0; from < plan.shardSize(i); ) {
      const { pairs: n, bytes } = plan.writePairLines(i, from, buf);
      assert.ok(n > 0 && bytes <= buf.length);
      got += Buffer.from(buf.subarray(0, bytes)).toString('latin1');
      from += n;
    }
    assert.equal(got, want);
  }
});

test('planShards: a TCP-only walk is unchanged by the UDP axis (same pairs, same order, no /udp)', async () => {
  const tcpOnly = await planShards({ targets: ['203.0.113.0/27'], ports: '22,80,443', seed: 'same', count: 2, resolver });
  const explicit = await planShards({ targets: ['203.0.113.0/27'], tcp: true, ports: '22,80,443,U:53', seed: 'same', count: 2, resolver });
  for (let i = 0; i < 2; i++) assert.deepEqual([...explicit.pairsOf(i)], [...tcpOnly.pairsOf(i)]);
  assert.deepEqual(tcpOnly.udpPorts, []);
});

interface Sent {
  tcp: string[];
  udp: string[];
  hosts: HostReport[];
}

/** Run the engine on a walk with recording dry backends; what each protocol sent, in order, and the reports. */
async function sentBy(cidr: string, seed: number, shard: { index: number; count: number }, settled?: Map<string, { ports: Set<number>; udpPorts: Set<number>; upReason: string }>): Promise<Sent> {
  const out: Sent = { tcp: [], udp: [], hosts: [] };
  const tcp: BackendFactory = (onOutcomes) => {
    const inner = dryBackend(onOutcomes);
    return {
      name: 'recording-dry',
      submit(address, ids, ports, timeoutMs) {
        for (const port of ports) out.tcp.push(`${address} ${port}`);
        inner.submit(address, ids, ports, timeoutMs);
      },
      close: () => inner.close(),
    };
  };
  const udp: UdpBackendFactory = (onOutcome) => {
    const inner = dryUdpBackend(onOutcome);
    return {
      name: 'recording-dry-udp',
      submit(address, family, probes, timeoutMs, source) {
        for (const p of probes) out.udp.push(`${address} ${p.port}/udp`);
        inner.submit(address, family, probes, timeoutMs, source);
      },
      close: () => inner.close(),
    };
  };
  const targets = walkTargets(
    { specs: [cidr], exclude: [], resolver, resolveAll: false, blocklist: null },
    { seed, shard, sortedPorts: Uint16Array.from(TCP), sortedUdpPorts: Uint16Array.from(UDP), sequentialPorts: false, ...(settled ? { settled } : {}) },
  );
  const plan: EnginePlan = {
    start: { scanner: 'portscope', version: 'test', args: 'test', startTime: Date.now(), scanInfo: [], verbose: 0 },
    targets,
    ports: Uint16Array.from(TCP),
    timing: resolveTiming({ template: 4 }, 4096),
    discoveryPorts: null,
    backend: tcp,
    isLoopback: () => false,
    serviceName: () => undefined,
    wildcard: { minPorts: 20, openRatio: 0.9 },
    progressIntervalMs: 0,
    udp: {
      ports: Uint16Array.from(UDP),
      backend: udp,
      probes: { datagramFor: () => Buffer.alloc(0), identify: () => undefined, tableName: () => undefined, versions: false },
    },
  };
  const s = new Scheduler(plan);
  s.run();
  for await (const ev of s.events) if (ev.kind === 'host') out.hosts.push(ev.host);
  return out;
}

const lines = (pairs: { address: string; port: number; protocol: string }[]): string[] => pairs.map((p) => (p.protocol === 'udp' ? `${p.address} ${p.port}/udp` : `${p.address} ${p.port}`));

test('engine: shards of a -sT -sU walk probe disjoint pairs of both protocols, together the whole space, each its own share', async () => {
  const cidr = '198.51.100.0/28';
  const seed = 41;
  const whole = await planShards({ targets: [cidr], tcp: true, udp: true, ports: 'T:22,80,443,U:53,123,161,500', seed, count: 3, resolver, blocklist: false });
  const union = new Set<string>();
  for (let index = 0; index < 3; index++) {
    const sent = await sentBy(cidr, seed, { index, count: 3 });
    const owned = lines([...whole.pairsOf(index)]);
    assert.ok(sent.udp.length > 0 && sent.tcp.length > 0, `shard ${index} sends both protocols`);
    // The dry UDP backend answers each probe at once: one probe per owned UDP pair, none of another shard's.
    assert.deepEqual(new Set([...sent.tcp, ...sent.udp]), new Set(owned), `shard ${index}: exactly its pairs`);
    assert.equal(sent.tcp.length + sent.udp.length, owned.length, `shard ${index}: each pair once`);
    // Each host's UDP ports go out in the walk's order, as its TCP ports do (docs/scale.md "Engine order").
    const byHost = (list: string[]): Map<string, string[]> => {
      const m = new Map<string, string[]>();
      for (const l of list) m.set(l.split(' ')[0]!, [...(m.get(l.split(' ')[0]!) ?? []), l]);
      return new Map([...m].sort());
    };
    assert.deepEqual(byHost(sent.udp), byHost(owned.filter((l) => l.endsWith('/udp'))), `shard ${index}: UDP port order per host`);
    // Its reports hold exactly its UDP pairs (merge unites them per host).
    const reported = sent.hosts.flatMap((h) => h.ports.filter((p) => p.protocol === 'udp').map((p) => `${h.address} ${p.port}/udp`));
    assert.deepEqual(new Set(reported), new Set(sent.udp));
    for (const p of owned) {
      assert.ok(!union.has(p), `${p} in two shards`);
      union.add(p);
    }
  }
  assert.equal(union.size, 16 * (TCP.length + UDP.length));
});

test('engine: a resumed host is probed only on the UDP (and TCP) ports it had not settled', async () => {
  const cidr = '192.0.2.0/30';
  const seed = 5;
  const settled = new Map([
    ['192.0.2.1', { ports: new Set([22, 80, 443]), udpPorts: new Set([53, 161]), upReason: 'syn-ack' }],
    ['192.0.2.2', { ports: new Set([80]), udpPorts: new Set<number>(), upReason: 'syn-ack' }],
  ]);
  const sent = await sentBy(cidr, seed, { index: 0, count: 1 }, settled);
  const of = (address: string, list: string[]): string[] => list.filter((l) => l.startsWith(`${address} `)).sort();
  assert.deepEqual(of('192.0.2.1', sent.tcp), [], 'all TCP ports settled: none probed');
  assert.deepEqual(of('192.0.2.1', sent.udp), ['192.0.2.1 123/udp', '192.0.2.1 500/udp']);
  assert.deepEqual(of('192.0.2.2', sent.tcp), ['192.0.2.2 22', '192.0.2.2 443']);
  assert.equal(of('192.0.2.2', sent.udp).length, UDP.length);
  assert.equal(of('192.0.2.0', sent.udp).length, UDP.length, 'a host not reached: every UDP port');
});

test('scan(): -sU with --shards is accepted and the shards of a dry run report disjoint UDP ports covering the scan', async () => {
  const seen = new Set<string>();
  for (let index = 0; index < 2; index++) {
    const run = scan({ targets: ['203.0.113.0/29'], udp: true, ports: '53,123,161', seed: 'dry', shard: { index, count: 2 }, dryRun: true, skipDiscovery: true, noReverseDns: true, resolver, blocklist: false });
    for await (const ev of run) {
      if (ev.kind !== 'host') continue;
      for (const p of ev.host.ports) {
        assert.equal(p.protocol, 'udp');
        const key = `${ev.host.address} ${p.port}`;
        assert.ok(!seen.has(key), `${key} in two shards`);
        seen.add(key);
      }
    }
  }
  assert.equal(seen.size, 8 * 3);
});

test('indexResume: an unfinished host keeps its settled TCP and UDP ports apart', async () => {
  const { indexResume } = await import('../../../src/api/resume.js');
  const host = (ports: HostReport['ports']): HostReport => ({
    address: '192.0.2.1',
    family: 4,
    hostnames: [],
    spec: '192.0.2.1',
    status: 'up',
    statusReason: 'user-set',
    startTime: 0,
    endTime: 0,
    ports,
    complete: false,
    timedOut: false,
    stats: { probesSent: 0, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 0 },
  });
  const index = indexResume([
    host([
      { protocol: 'tcp', port: 53, state: 'closed', reason: 'conn-refused', tries: 1 },
      { protocol: 'udp', port: 161, state: 'open|filtered', reason: 'no-response', tries: 2 },
    ]),
  ]);
  const s = index.settled.get('192.0.2.1')!;
  assert.deepEqual([...s.ports], [53]);
  assert.deepEqual([...s.udpPorts], [161]);
});

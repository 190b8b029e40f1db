import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walkTargets } from '../../../src/api/walk-targets.js';
import { Scheduler, type EnginePlan } from '../../../src/engine/scheduler.js';
import { resolveTiming } from '../../../src/engine/timing.js';
import { planShards } from '../../../src/index.js';
import type { BackendFactory } from '../../../src/net/backend.js';
import { dryBackend } from '../../../src/net/dry-backend.js';
import { fakeResolver } from '../targets/fake-resolver.js';

/**
 * The literal order of the probes a walk-mode scan sends (docs/scale.md "Engine order"): the dry backend
 * answers every probe and a wrapper records each `submit` in order. Nothing is sent.
 */
const resolver = fakeResolver({});
const PORTS = [21, 22, 23, 25, 53, 80, 110, 143, 443, 8080];

interface Run {
  seed: number;
  shard?: { index: number; count: number };
  sequentialPorts?: boolean;
}

async function sentOrder(cidr: string, run: Run): Promise<string[]> {
  const sent: string[] = [];
  const recording: BackendFactory = (onOutcomes) => {
    const inner = dryBackend(onOutcomes);
    return {
      name: 'recording-dry',
      submit(address, ids, ports, timeoutMs) {
        for (const port of ports) sent.push(`${address} ${port}`);
        inner.submit(address, ids, ports, timeoutMs);
      },
      close: () => inner.close(),
    };
  };
  const targets = walkTargets(
    { specs: [cidr], exclude: [], resolver, resolveAll: false, blocklist: null },
    { seed: run.seed, shard: run.shard ?? { index: 0, count: 1 }, sortedPorts: Uint16Array.from(PORTS), sequentialPorts: run.sequentialPorts ?? false },
  );
  const plan: EnginePlan = {
    start: { scanner: 'portscope', version: 'test', args: 'test', startTime: Date.now(), scanInfo: [], verbose: 0 },
    targets,
    ports: Uint16Array.from(PORTS),
    timing: resolveTiming({ template: 3 }, 4096),
    discoveryPorts: null,
    backend: recording,
    isLoopback: () => false,
    serviceName: () => undefined,
    wildcard: { minPorts: 20, openRatio: 0.9 },
    progressIntervalMs: 0,
  };
  const s = new Scheduler(plan);
  s.run();
  for await (const _ of s.events);
  return sent;
}

/** The walk's own order (what --list-pairs prints) for one shard. */
async function walkOrder(cidr: string, seed: number, shard = { index: 0, count: 1 }): Promise<string[]> {
  const plan = await planShards({ targets: [cidr], ports: PORTS.join(','), seed, count: shard.count, resolver, blocklist: false });
  return [...plan.pairsOf(shard.index)].map((p) => `${p.address} ${p.port}`);
}

const hostOf = (pair: string): string => pair.split(' ')[0]!;
const firstSeen = (pairs: string[]): string[] => [...new Set(pairs.map(hostOf))];
/** Each host's pairs in the order they appear. */
function perHost(pairs: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of pairs) {
    const h = hostOf(p);
    if (!m.has(h)) m.set(h, []);
    m.get(h)!.push(p);
  }
  return m;
}
const slash28 = (pair: string): number => Number(hostOf(pair).split('.')[3]) >> 4;

test("walk mode: hosts enter the engine in the order the walk first reaches them, each host's ports in walk order", async () => {
  const cidr = '198.51.100.0/24';
  const sent = await sentOrder(cidr, { seed: 7 });
  const walk = await walkOrder(cidr, 7);
  assert.equal(sent.length, 256 * PORTS.length);
  assert.equal(new Set(sent).size, sent.length, 'every pair exactly once');
  assert.deepEqual(new Set(sent), new Set(walk));
  assert.deepEqual(firstSeen(sent), firstSeen(walk), 'host order = first visit along the walk');
  assert.deepEqual(perHost(sent), perHost(walk), "each host's ports in the walk's order");
  const first64 = sent.slice(0, 64);
  const subnets = new Set(first64.map(slash28)).size;
  const hosts = new Set(first64.map(hostOf)).size;
  // Ascending host order would put all 64 probes in the first /28 (7 hosts of 198.51.100.0/28).
  assert.ok(subnets >= 4, `the first 64 probes touch ${subnets} distinct /28s of 16 (${hosts} hosts)`);
  assert.ok(
    !firstSeen(sent)
      .slice(0, 16)
      .every((h, i) => h === `198.51.100.${i}`),
    'not ascending',
  );
});

test('walk mode: same seed same probe order, another seed another', async () => {
  const a = await sentOrder('203.0.113.0/26', { seed: 1 });
  assert.deepEqual(await sentOrder('203.0.113.0/26', { seed: 1 }), a);
  const b = await sentOrder('203.0.113.0/26', { seed: 2 });
  assert.notDeepEqual(b, a);
  assert.deepEqual(new Set(b), new Set(a));
});

test('walk mode: shards send disjoint pairs whose union is the whole space, each in its own walk order', async () => {
  const cidr = '198.51.100.0/26';
  const whole = new Set(await walkOrder(cidr, 99));
  const all = new Set<string>();
  for (let index = 0; index < 3; index++) {
    const shard = { index, count: 3 };
    const sent = await sentOrder(cidr, { seed: 99, shard });
    const walk = await walkOrder(cidr, 99, shard);
    assert.equal(sent.length, walk.length);
    assert.deepEqual(firstSeen(sent), firstSeen(walk), `shard ${index}: host order`);
    assert.deepEqual(perHost(sent), perHost(walk), `shard ${index}: port order`);
    for (const p of sent) {
      assert.ok(!all.has(p), `${p} in two shards`);
      all.add(p);
    }
  }
  assert.deepEqual(all, whole);
});

test("walk mode with -r: hosts still in walk order, each host's ports ascending", async () => {
  const cidr = '192.0.2.0/27';
  const sent = await sentOrder(cidr, { seed: 5, sequentialPorts: true });
  const walk = await walkOrder(cidr, 5);
  assert.deepEqual(firstSeen(sent), firstSeen(walk));
  for (const [, pairs] of perHost(sent))
    assert.deepEqual(
      pairs.map((p) => Number(p.split(' ')[1])),
      PORTS,
    );
});

test('walk mode: a single host and a /23 enter once each, in walk order', async () => {
  for (const [cidr, seed] of [
    ['192.0.2.9', 3],
    ['198.51.100.0/23', 4],
  ] as const) {
    const sent = await sentOrder(cidr, { seed });
    const walk = await walkOrder(cidr, seed);
    assert.deepEqual(firstSeen(sent), firstSeen(walk), cidr);
    assert.deepEqual(perHost(sent), perHost(walk), cidr);
  }
});

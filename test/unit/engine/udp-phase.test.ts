import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Scheduler, type EnginePlan, type TargetItem } from '../../../src/engine/scheduler.js';
import { resolveTiming, type TimingOptions } from '../../../src/engine/timing.js';
import type { UdpProbeSet } from '../../../src/engine/udp-host.js';
import type { HostReport, ScanEvent, ScanProgress } from '../../../src/model/index.js';
import { dryBackend } from '../../../src/net/dry-backend.js';
import { dryUdpBackend, type UdpBackendFactory } from '../../../src/net/udp-backend.js';

// The UDP phase as the scheduler runs it (src/engine/udp-phase.ts): merged reports, the scan's send
// budget (--scan-delay / --max-rate) and the progress line's counts.

const probes: UdpProbeSet = { datagramFor: () => Buffer.alloc(0), identify: () => undefined, tableName: () => undefined, versions: false };
const range = (a: number, b: number): Uint16Array => Uint16Array.from({ length: b - a + 1 }, (_, i) => a + i);

function plan(tcp: Uint16Array, udp: Uint16Array, backend: UdpBackendFactory, timing: TimingOptions = {}, progressIntervalMs = 0): EnginePlan {
  return {
    start: { scanner: 'portscope', version: 'test', args: 'test', startTime: Date.now(), scanInfo: [], verbose: 0 },
    targets: (async function* (): AsyncIterable<TargetItem> {
      yield { kind: 'target', target: { address: '192.0.2.7', family: 4, spec: '192.0.2.7' } };
    })(),
    ports: tcp,
    timing: resolveTiming({ template: 4, minRttTimeoutMs: 5, initialRttTimeoutMs: 20, maxRttTimeoutMs: 50, ...timing }, 4096),
    discoveryPorts: null,
    backend: dryBackend,
    isLoopback: () => false,
    serviceName: () => undefined,
    wildcard: { minPorts: 20, openRatio: 0.9 },
    progressIntervalMs,
    udp: { ports: udp, backend, probes },
  };
}

async function collect(p: EnginePlan): Promise<ScanEvent[]> {
  const s = new Scheduler(p);
  s.run();
  const out: ScanEvent[] = [];
  for await (const ev of s.events) out.push(ev);
  return out;
}

/** A UDP target where every port answers a datagram after `delayMs`; records when each datagram left. */
function answering(delayMs: number, sentAt: number[] = []): UdpBackendFactory {
  return (onOutcome) => {
    let closed = false;
    let seq = 0;
    return {
      name: 'answering',
      submit(_address, _family, ps) {
        for (const p of ps) {
          const sentSeq = seq++;
          sentAt.push(performance.now());
          setTimeout(() => !closed && onOutcome({ id: p.id, code: 0, rttUs: delayMs * 1000, sentSeq, reply: Buffer.from('x') }), delayMs);
        }
      },
      close() {
        closed = true;
      },
    };
  };
}

test('a dry -sT -sU run reports every TCP and every UDP port once in one host report', async () => {
  const evs = await collect(plan(range(1, 40), range(100, 130), dryUdpBackend));
  const hosts = evs.flatMap((e): HostReport[] => (e.kind === 'host' ? [e.host] : []));
  assert.equal(hosts.length, 1);
  const keys = hosts[0]!.ports.map((p) => `${p.port}/${p.protocol}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual(keys.filter((k) => k.endsWith('/tcp')).length, 40);
  assert.deepEqual(keys.filter((k) => k.endsWith('/udp')).length, 31);
  assert.ok(hosts[0]!.stats.udp, 'UDP stats are merged');
  const end = evs.at(-1);
  assert.equal(end?.kind === 'end' && end.summary.probesSent, 40 + 31);
});

test('--scan-delay spaces UDP datagrams as it spaces TCP probes', async () => {
  const sentAt: number[] = [];
  const delay = 25;
  const evs = await collect(plan(new Uint16Array(0), range(200, 211), answering(1, sentAt), { scanDelayMs: delay }));
  assert.equal(evs.filter((e) => e.kind === 'port').length, 12);
  assert.equal(sentAt.length, 12);
  // The shared token bucket allows a burst of rate/20 (at least 1) tokens: the rest wait for refills.
  const burst = Math.max(1, 1000 / delay / 20);
  assert.ok(sentAt.at(-1)! - sentAt[0]! >= (12 - Math.ceil(burst) - 1) * delay, `12 datagrams in ${(sentAt.at(-1)! - sentAt[0]!).toFixed(0)} ms`);
});

test('--max-rate bounds UDP datagrams too', async () => {
  const sentAt: number[] = [];
  await collect(plan(new Uint16Array(0), range(300, 329), answering(1, sentAt), { maxRate: 100 }));
  assert.equal(sentAt.length, 30);
  // 100/s with a burst of 5: the last of 30 datagrams cannot leave before 25 refills, 250 ms.
  assert.ok(sentAt.at(-1)! - sentAt[0]! >= 240, `30 datagrams in ${(sentAt.at(-1)! - sentAt[0]!).toFixed(0)} ms`);
});

test('the progress events count UDP ports', async () => {
  const evs = await collect(plan(new Uint16Array(0), range(400, 409), answering(30), {}, 5));
  const progress = evs.flatMap((e): ScanProgress[] => (e.kind === 'progress' ? [e.progress] : []));
  assert.ok(progress.length > 0, 'progress was reported');
  assert.ok(
    progress.every((p) => p.portsKnown === 10 || p.hostsActive === 0),
    JSON.stringify(progress),
  );
  assert.ok(
    progress.some((p) => p.portsDone > 0),
    'settled UDP ports count as done',
  );
});

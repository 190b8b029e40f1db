import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import type { PingPlan } from '../../../src/engine/ping-phase.js';
import { Scheduler, type EnginePlan, type TargetItem } from '../../../src/engine/scheduler.js';
import { resolveTiming, type TimingOptions } from '../../../src/engine/timing.js';
import type { HostReport, ScanEvent } from '../../../src/model/index.js';
import { dryBackend } from '../../../src/net/dry-backend.js';
import type { EchoBackendFactory, EchoOutcome } from '../../../src/net/icmp-backend.js';
import type { IcmpDetail, UdpBackendFactory } from '../../../src/net/udp-backend.js';

// Discovery's -PU/-PE probes as the scheduler runs them (src/engine/ping-phase.ts), over fake backends
// that answer each try from a script: up/down, the reason, how many tries, and the port scan that follows.

type Answer = { code: number; icmp?: IcmpDetail } | 'never';

/** An echo backend answering try k with answers[k] (the last one repeats); counts what was sent. */
function fakeEcho(answers: Answer[], sent: { n: number }): EchoBackendFactory {
  return (onOutcome) => ({
    mode: 'dgram',
    submit(_address, probes) {
      for (const p of probes) {
        const a = answers[Math.min(sent.n++, answers.length - 1)]!;
        if (a === 'never') continue;
        const o: EchoOutcome = { id: p.id, code: a.code, rttUs: 300 };
        if (a.icmp) o.icmp = a.icmp;
        setImmediate(() => onOutcome(o));
      }
    },
    close() {},
  });
}

function fakeUdp(answers: Answer[], sent: { n: number }): UdpBackendFactory {
  return (onOutcome) => ({
    name: 'fake',
    submit(_address, _family, probes) {
      for (const p of probes) {
        const a = answers[Math.min(sent.n++, answers.length - 1)]!;
        if (a === 'never') continue;
        setImmediate(() => onOutcome({ id: p.id, code: a.code, rttUs: 300, sentSeq: 0, ...(a.icmp ? { icmp: a.icmp } : {}) }));
      }
    },
    close() {},
  });
}

function plan(ping: PingPlan, tcpPing: Uint16Array, timing: TimingOptions = {}): EnginePlan {
  return {
    start: { scanner: 'portscope', version: 'test', args: 'test', startTime: Date.now(), scanInfo: [], verbose: 0 },
    targets: (async function* (): AsyncIterable<TargetItem> {
      yield { kind: 'target', target: { address: '192.0.2.7', family: 4, spec: '192.0.2.7' } };
    })(),
    ports: Uint16Array.of(22, 23),
    timing: resolveTiming({ template: 4, minRttTimeoutMs: 5, initialRttTimeoutMs: 20, maxRttTimeoutMs: 50, ...timing }, 4096),
    discoveryPorts: tcpPing,
    ping,
    backend: dryBackend,
    isLoopback: () => false,
    serviceName: () => undefined,
    wildcard: { minPorts: 20, openRatio: 0.9 },
    progressIntervalMs: 0,
  };
}

async function host(p: EnginePlan): Promise<HostReport> {
  const s = new Scheduler(p);
  s.run();
  const events: ScanEvent[] = [];
  for await (const ev of s.events) events.push(ev);
  const hosts = events.flatMap((e) => (e.kind === 'host' ? [e.host] : []));
  assert.equal(hosts.length, 1);
  return hosts[0]!;
}

const TIMEOUT = -1;
/** A lost wakeup or an uncancelled ping hangs the scan: fail instead of waiting forever. */
const OPTS = { timeout: 10_000 };
const NONE = new Uint16Array(0);

test('-PU: ECONNREFUSED (port unreachable) proves the host up, and its ports are scanned after', OPTS, async () => {
  const sent = { n: 0 };
  const r = await host(plan({ udp: { ports: Uint16Array.of(40125), payload: Buffer.alloc(0), backend: fakeUdp([{ code: constants.errno.ECONNREFUSED }], sent) } }, NONE));
  assert.deepEqual([r.status, r.statusReason, sent.n], ['up', 'port-unreach', 1]);
  assert.deepEqual(
    r.ports.map((p) => `${p.port}/${p.state}`),
    ['22/closed', '23/closed'],
  );
});

test('-PU: an admin-prohibited ICMP error leaves the host down with that reason, without a retry', OPTS, async () => {
  const sent = { n: 0 };
  const icmp = { v6: false, type: 3, code: 13 };
  const r = await host(plan({ udp: { ports: Uint16Array.of(40125), payload: Buffer.alloc(0), backend: fakeUdp([{ code: constants.errno.EHOSTUNREACH, icmp }], sent) } }, NONE));
  assert.deepEqual([r.status, r.statusReason, r.ports.length, sent.n], ['down', 'admin-prohibited', 0, 1]);
});

test('-PE: an echo lost once is retried, and the reply proves the host up (echo-reply)', OPTS, async () => {
  const sent = { n: 0 };
  const r = await host(plan({ echo: { backend: fakeEcho([{ code: TIMEOUT }, { code: 0 }], sent) } }, NONE));
  assert.deepEqual([r.status, r.statusReason, sent.n], ['up', 'echo-reply', 2]);
  assert.equal(r.ports.length, 2);
});

for (const [maxRetries, tries] of [
  [undefined, 2],
  [0, 1],
] as const) {
  test(`-PE: silence is no-response after ${tries} tries (--max-retries ${maxRetries ?? 'default'})`, OPTS, async () => {
    const sent = { n: 0 };
    const r = await host(plan({ echo: { backend: fakeEcho([{ code: TIMEOUT }], sent) } }, NONE, maxRetries === undefined ? {} : { maxRetries }));
    assert.deepEqual([r.status, r.statusReason, sent.n], ['down', 'no-response', tries]);
  });
}

test('-PS with -PE: the connect ping proves the host, so an echo that never comes back is not waited for', OPTS, async () => {
  const sent = { n: 0 };
  const r = await host(plan({ echo: { backend: fakeEcho(['never'], sent) } }, Uint16Array.of(80)));
  assert.deepEqual([r.status, r.statusReason], ['up', 'dry-run']);
  assert.equal(r.ports.length, 2);
});

test('-PU: a socket our side could not open (EMFILE) is tried again without spending a try', OPTS, async () => {
  const sent = { n: 0 };
  const backend = fakeUdp([{ code: constants.errno.EMFILE }, { code: constants.errno.EMFILE }, { code: constants.errno.ECONNREFUSED }], sent);
  const r = await host(plan({ udp: { ports: Uint16Array.of(40125), payload: Buffer.alloc(0), backend } }, NONE, { maxRetries: 0 }));
  assert.deepEqual([r.status, r.statusReason, sent.n], ['up', 'port-unreach', 3]);
});

test('-PU to many ports: pings in flight stay under the cap (half of --max-parallelism, at least 16)', OPTS, async () => {
  let inflight = 0;
  let peak = 0;
  const backend: UdpBackendFactory = (onOutcome) => ({
    name: 'fake',
    submit(_address, _family, probes) {
      for (const p of probes) {
        peak = Math.max(peak, ++inflight);
        setTimeout(() => {
          inflight--;
          onOutcome({ id: p.id, code: TIMEOUT, rttUs: 0, sentSeq: 0 });
        }, 2);
      }
    },
    close() {},
  });
  const ports = Uint16Array.from({ length: 200 }, (_, i) => 40000 + i);
  const r = await host(plan({ udp: { ports, payload: Buffer.alloc(0), backend } }, NONE, { maxParallelism: 40, maxRetries: 0 }));
  assert.deepEqual([r.status, r.statusReason], ['down', 'no-response']);
  assert.equal(peak, 20);
});

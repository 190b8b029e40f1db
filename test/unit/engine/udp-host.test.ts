import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import { UdpHostScan, type UdpProbeSet } from '../../../src/engine/udp-host.js';
import { resolveTiming } from '../../../src/engine/timing.js';
import { OUTCOME_TIMEOUT } from '../../../src/net/backend.js';
import type { UdpBackendFactory } from '../../../src/net/udp-backend.js';

type Kind = 'open' | 'closed' | 'drop' | 'prohibited';

/**
 * A fake UDP target with Linux's per-destination ICMP token bucket (net/ipv4/inetpeer.c
 * inet_peer_xrlim_allow): `perSecond` tokens a second, at most `burst` saved. Closed and prohibited ports
 * answer ICMP only when a token is there; otherwise they are as silent as a drop.
 */
function rateLimitedTarget(kinds: Map<number, Kind>, perSecond: number, burst = 6): { factory: UdpBackendFactory; icmpSent: () => number } {
  let tokens = burst;
  let last = performance.now();
  let icmp = 0;
  const factory: UdpBackendFactory = (onOutcome) => {
    let closed = false;
    let seq = 0;
    return {
      name: 'fake-udp',
      submit(_address, _family, probes, timeoutMs) {
        for (const p of probes) {
          const sentSeq = seq++;
          const now = performance.now();
          tokens = Math.min(burst, tokens + ((now - last) / 1000) * perSecond);
          last = now;
          const kind = kinds.get(p.port) ?? 'closed';
          let code = OUTCOME_TIMEOUT;
          if (kind === 'open') code = 0;
          else if (kind !== 'drop' && tokens >= 1) {
            tokens -= 1;
            icmp++;
            code = kind === 'closed' ? constants.errno.ECONNREFUSED : constants.errno.EHOSTUNREACH;
          }
          const delay = code === OUTCOME_TIMEOUT ? timeoutMs : 1;
          setTimeout(() => {
            if (closed) return;
            onOutcome(code === 0 ? { id: p.id, code, rttUs: 1000, sentSeq, reply: Buffer.from('hi') } : { id: p.id, code, rttUs: 1000, sentSeq });
          }, delay);
        }
      },
      close() {
        closed = true;
      },
    };
  };
  return { factory, icmpSent: () => icmp };
}

const probes: UdpProbeSet = { datagramFor: () => Buffer.alloc(0), identify: () => undefined, tableName: () => undefined, versions: false };
const timing = resolveTiming({ minRttTimeoutMs: 20, maxRttTimeoutMs: 50, initialRttTimeoutMs: 50 }, 4096);

function layout(): Map<number, Kind> {
  const kinds = new Map<number, Kind>();
  for (let p = 1; p <= 60; p++) kinds.set(p, 'closed');
  for (const p of [3, 17, 42]) kinds.set(p, 'open');
  for (const p of [5, 6, 7, 30, 31, 50]) kinds.set(p, 'drop');
  for (const p of [10, 11]) kinds.set(p, 'prohibited');
  return kinds;
}

test('every closed port behind an ICMP rate limit is confirmed closed, not open|filtered', async () => {
  const kinds = layout();
  const target = rateLimitedTarget(kinds, 40);
  const scan = new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, target.factory, probes);
  const r = await scan.run();
  assert.equal(r.complete, true);
  const want: Record<Kind, string> = { open: 'open/udp-response', closed: 'closed/port-unreach', drop: 'open|filtered/no-response', prohibited: 'filtered/host-unreach' };
  const wrong = r.ports.filter((p) => `${p.state}/${p.reason}` !== want[kinds.get(p.port)!]).map((p) => `${p.port}: ${p.state}/${p.reason}`);
  assert.deepEqual(wrong, []);
  assert.equal(r.ports.length, kinds.size);
  assert.ok(r.stats.icmpPerSecond > 20 && r.stats.icmpPerSecond < 60, `measured ${r.stats.icmpPerSecond}/s`);
});

test('a target that sends no ICMP at all ends with every silent port open|filtered', async () => {
  const kinds = new Map<number, Kind>([...Array.from({ length: 20 }, (_, i) => [i + 1, 'drop'] as const), [53, 'open']]);
  const scan = new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, rateLimitedTarget(kinds, 40).factory, probes);
  const r = await scan.run();
  assert.deepEqual(new Set(r.ports.map((p) => (p.port === 53 ? 'x' : p.state))), new Set(['open|filtered', 'x']));
  assert.equal(r.ports.find((p) => p.port === 53)?.state, 'open');
});

test('a closed port is never settled open|filtered when its ICMP bucket was empty at the start', async () => {
  const kinds = new Map<number, Kind>(Array.from({ length: 30 }, (_, i) => [i + 1, 'closed'] as const));
  const target = rateLimitedTarget(kinds, 40, 6);
  // Drain the bucket first, as an earlier scan of the same host would.
  const drain = new UdpHostScan('192.0.2.2', 4, Uint16Array.of(100, 101, 102, 103, 104, 105), timing, target.factory, probes);
  await drain.run();
  const r = await new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, target.factory, probes).run();
  assert.deepEqual(
    r.ports.filter((p) => p.state !== 'closed').map((p) => p.port),
    [],
  );
});

test('stop() returns the ports settled so far and marks the result incomplete', async () => {
  const kinds = layout();
  const scan = new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, rateLimitedTarget(kinds, 2).factory, probes);
  const running = scan.run();
  await new Promise((r) => setTimeout(r, 300));
  scan.stop();
  const partial = scan.result();
  assert.equal(partial.complete, false);
  assert.ok(partial.ports.length > 0 && partial.ports.length < kinds.size);
  await running;
});

test('every datagram waits for the send gate (--max-rate / --scan-delay)', async () => {
  const kinds = layout();
  let granted = 0;
  let asked = 0;
  // Every other request must wait 2 ms: a gate that a datagram could slip past would show sent > granted.
  const gate = (): number => (asked++ % 2 === 0 ? 2 : (granted++, 0));
  const target = rateLimitedTarget(kinds, 200);
  const scan = new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, target.factory, probes, undefined, gate);
  const r = await scan.run();
  assert.equal(r.complete, true);
  assert.equal(r.stats.probesSent, granted);
  assert.ok(asked >= 2 * granted - 1);
});

test('stop() ends a scan that is waiting on the send gate', async () => {
  const kinds = layout();
  const scan = new UdpHostScan('192.0.2.2', 4, Uint16Array.from(kinds.keys()), timing, rateLimitedTarget(kinds, 40).factory, probes, undefined, () => 60_000);
  const running = scan.run();
  setTimeout(() => scan.stop(), 20);
  const r = await running;
  assert.equal(r.stats.probesSent, 0);
  assert.equal(scan.result().complete, false);
});

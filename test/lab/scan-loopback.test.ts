import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { scan, type ScanOptions } from '../../src/index.js';
import type { HostReport } from '../../src/model/index.js';

// Real sockets on loopback, ports chosen by the kernel (listen on 0): no namespace needed.

const servers: Server[] = [];
let open: number[] = [];
let closedPort = 0;

async function listen(host: string): Promise<number> {
  const s = createServer((c) => c.destroy());
  servers.push(s);
  await new Promise<void>((res, rej) => s.once('error', rej).listen(0, host, () => res()));
  return (s.address() as { port: number }).port;
}

before(async () => {
  open = [await listen('127.0.0.1'), await listen('127.0.0.1'), await listen('127.0.0.1')];
  // A port that was just free: bind, read, close.
  closedPort = await listen('127.0.0.1');
  await new Promise<void>((res) => servers.pop()!.close(() => res()));
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
});

async function hosts(options: ScanOptions): Promise<HostReport[]> {
  const out: HostReport[] = [];
  for await (const ev of scan({ noReverseDns: true, ...options })) if (ev.kind === 'host') out.push(ev.host);
  return out;
}

for (const backend of ['native', 'node'] as const) {
  test(`the ${backend} backend finds exactly the listeners open and the freed port closed on 127.0.0.1`, async () => {
    const ports = [...open, closedPort].join(',');
    const [host] = await hosts({ targets: ['127.0.0.1'], ports, backend });
    assert.ok(host);
    assert.equal(host.status, 'up');
    assert.equal(host.statusReason, 'localhost-response');
    const byPort = new Map(host.ports.map((p) => [p.port, p]));
    for (const p of open) {
      assert.equal(byPort.get(p)?.state, 'open', `port ${p}`);
      assert.equal(byPort.get(p)?.reason, 'syn-ack');
    }
    assert.equal(byPort.get(closedPort)?.state, 'closed');
    assert.equal(byPort.get(closedPort)?.reason, 'conn-refused');
    assert.equal(host.ports.length, 4);
  });
}

test('IPv6 loopback is scanned without -6 and a v4-only listener is closed there', async () => {
  const v6 = await listen('::1');
  const [host] = await hosts({ targets: ['::1'], ports: `${v6},${open[0]}` });
  assert.ok(host);
  assert.equal(host.family, 6);
  assert.equal(host.ports.find((p) => p.port === v6)?.state, 'open');
  assert.equal(host.ports.find((p) => p.port === open[0])?.state, 'closed');
});

test('open ports are announced as port events before the host report', async () => {
  const seen: number[] = [];
  let hostSeen = false;
  for await (const ev of scan({ targets: ['127.0.0.1'], ports: open.join(','), noReverseDns: true })) {
    if (ev.kind === 'port') {
      assert.equal(hostSeen, false);
      seen.push(ev.result.port);
    }
    if (ev.kind === 'host') hostSeen = true;
  }
  assert.deepEqual(seen.sort(), [...open].sort());
});

test('a range of 2000 loopback ports around the listeners is settled completely, one result per port', async () => {
  const lo = Math.max(1, Math.min(...open) - 1000);
  const hi = Math.min(65535, lo + 1999);
  const [host] = await hosts({ targets: ['127.0.0.1'], ports: `${lo}-${hi}` });
  assert.ok(host);
  assert.equal(host.ports.length, hi - lo + 1);
  assert.equal(new Set(host.ports.map((p) => p.port)).size, hi - lo + 1);
  assert.ok(host.complete);
  for (const p of open) if (p >= lo && p <= hi) assert.equal(host.ports.find((r) => r.port === p)?.state, 'open');
  assert.ok(
    host.ports.every((p) => p.state === 'open' || p.state === 'closed'),
    'loopback has no filtered ports',
  );
});

test('summary resolves after the run with the host counted up', async () => {
  const run = scan({ targets: ['127.0.0.1'], ports: String(open[0]), noReverseDns: true });
  for await (const _ of run) {
    // drain
  }
  const s = await run.summary;
  assert.equal(s.hostsUp, 1);
  assert.equal(s.interrupted, false);
  assert.ok(s.probesSent >= 1);
});

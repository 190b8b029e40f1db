import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { constants } from 'node:os';
import { test } from 'node:test';
import { OUTCOME_TIMEOUT } from '../../../src/net/backend.js';
import type { UdpOutcome } from '../../../src/net/udp-backend.js';
import { loadNativeUdp, nativeUdpBackend, nativeUdpUnavailableReason } from '../../../src/net/udp-native-backend.js';

// The native prober on loopback (no privileges needed). Where it is not built (not Linux, no compiler)
// these tests skip, except in CI, where the addon must be there.
const skip = loadNativeUdp() || process.env.CI === 'true' ? false : nativeUdpUnavailableReason();

function bound(type: 'udp4' | 'udp6', onMessage?: (s: Socket, msg: Buffer, port: number, address: string) => void): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket({ type, ipv6Only: type === 'udp6' });
  if (onMessage) socket.on('message', (m, r) => onMessage(socket, m, r.port, r.address));
  return new Promise((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', () => resolve({ socket, port: socket.address().port })));
}

async function closedPort(type: 'udp4' | 'udp6'): Promise<number> {
  const gone = await bound(type);
  await new Promise<void>((r) => gone.socket.close(() => r()));
  return gone.port;
}

function probe(address: string, family: 4 | 6, ports: number[], timeoutMs: number): Promise<UdpOutcome[]> {
  return new Promise((resolve) => {
    const seen: UdpOutcome[] = [];
    const b = nativeUdpBackend((o) => {
      seen.push(o);
      if (seen.length === ports.length) {
        b.close();
        resolve(seen.sort((x, y) => x.id - y.id));
      }
    });
    b.submit(
      address,
      family,
      ports.map((port, i) => ({ id: i + 1, port, payload: Buffer.from(`p${i}`) })),
      timeoutMs,
    );
  });
}

test('native: a datagram back is outcome 0 with the reply', { skip }, async () => {
  const echo = await bound('udp4', (s, m, port, address) => s.send(Buffer.concat([Buffer.from('re:'), m]), port, address));
  try {
    const [o] = await probe('127.0.0.1', 4, [echo.port], 2000);
    assert.equal(o?.code, 0);
    assert.equal(o?.reply?.toString(), 're:p0');
    assert.equal(o?.icmp, undefined);
  } finally {
    echo.socket.close();
  }
});

test('native: a closed IPv4 port reports ICMP 3/3 with ECONNREFUSED', { skip }, async () => {
  const [o] = await probe('127.0.0.1', 4, [await closedPort('udp4')], 2000);
  assert.equal(o?.code, constants.errno.ECONNREFUSED);
  assert.deepEqual(o?.icmp, { v6: false, type: 3, code: 3 });
});

test('native: a closed IPv6 port reports ICMPv6 1/4', { skip }, async () => {
  const [o] = await probe('::1', 6, [await closedPort('udp6')], 2000);
  assert.deepEqual(o?.icmp, { v6: true, type: 1, code: 4 });
});

test('native: a listener that never answers times out, and send order is reported', { skip }, async () => {
  const quiet = await bound('udp4', () => {});
  try {
    const outs = await probe('127.0.0.1', 4, [quiet.port, quiet.port, quiet.port], 50);
    assert.deepEqual(
      outs.map((o) => o.code),
      [OUTCOME_TIMEOUT, OUTCOME_TIMEOUT, OUTCOME_TIMEOUT],
    );
    assert.deepEqual(new Set(outs.map((o) => o.sentSeq)).size, 3);
  } finally {
    quiet.socket.close();
  }
});

test('native: close() with probes in flight delivers nothing and throws nothing', { skip }, async () => {
  const quiet = await bound('udp4', () => {});
  try {
    const seen: UdpOutcome[] = [];
    const b = nativeUdpBackend((o) => seen.push(o));
    b.submit('127.0.0.1', 4, [{ id: 1, port: quiet.port, payload: Buffer.alloc(0) }], 30);
    b.close();
    b.close();
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(seen, []);
  } finally {
    quiet.socket.close();
  }
});

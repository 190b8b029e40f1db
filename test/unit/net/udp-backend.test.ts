import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { constants } from 'node:os';
import { test } from 'node:test';
import { OUTCOME_TIMEOUT } from '../../../src/net/backend.js';
import { dgramUdpBackend, type UdpOutcome } from '../../../src/net/udp-backend.js';

function bound(onMessage?: (s: Socket, msg: Buffer, port: number) => void): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  if (onMessage) socket.on('message', (m, r) => onMessage(socket, m, r.port));
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve({ socket, port: socket.address().port })));
}

function probeOnce(port: number, timeoutMs: number, payload = Buffer.from('hi')): Promise<UdpOutcome> {
  return new Promise((resolve) => {
    const b = dgramUdpBackend((o) => {
      b.close();
      resolve(o);
    });
    b.submit('127.0.0.1', 4, [{ id: 7, port, payload }], timeoutMs);
  });
}

test('a datagram back is outcome 0 with the reply', async () => {
  const echo = await bound((s, m, port) => s.send(Buffer.concat([Buffer.from('re:'), m]), port, '127.0.0.1'));
  try {
    const o = await probeOnce(echo.port, 2000);
    assert.equal(o.code, 0);
    assert.equal(o.id, 7);
    assert.equal(o.reply?.toString(), 're:hi');
  } finally {
    echo.socket.close();
  }
});

test('ICMP port unreachable on a closed loopback port reads as ECONNREFUSED', async () => {
  const gone = await bound();
  const port = gone.port;
  await new Promise<void>((r) => gone.socket.close(() => r()));
  const o = await probeOnce(port, 2000);
  assert.equal(o.code, constants.errno.ECONNREFUSED);
});

test('a listener that never answers times out', async () => {
  const quiet = await bound(() => {});
  try {
    const o = await probeOnce(quiet.port, 50);
    assert.equal(o.code, OUTCOME_TIMEOUT);
  } finally {
    quiet.socket.close();
  }
});

test('close() with probes in flight delivers nothing and throws nothing', async () => {
  const quiet = await bound(() => {});
  try {
    const seen: UdpOutcome[] = [];
    const b = dgramUdpBackend((o) => seen.push(o));
    b.submit(
      '127.0.0.1',
      4,
      [
        { id: 1, port: quiet.port, payload: Buffer.alloc(0) },
        { id: 2, port: quiet.port, payload: Buffer.alloc(1) },
      ],
      30,
    );
    b.close();
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(seen, []);
  } finally {
    quiet.socket.close();
  }
});

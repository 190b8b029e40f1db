import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createReverseDns } from '../../../src/net/reverse-dns.js';

// A name server on 127.0.0.1 (port 0) that holds every query until told to answer: the resolver under test
// is pointed at it explicitly (never at the machine's resolver) and reads no hosts file.

interface Held {
  msg: Buffer;
  from: RemoteInfo;
}

async function fakeServer(): Promise<{ socket: Socket; port: number; held: Held[] }> {
  const socket = createSocket('udp4');
  const held: Held[] = [];
  socket.on('message', (msg, from) => held.push({ msg, from }));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, port: socket.address().port, held };
}

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.of(l.length), Buffer.from(l)])), Buffer.of(0)]);
}

/** A PTR answer (RFC 1035 4.1) to a held query: the question copied, one answer pointing at it. */
function answer(server: { socket: Socket }, q: Held, name: string): void {
  const questionEnd = q.msg.indexOf(0, 12) + 5;
  const header = Buffer.from(q.msg.subarray(0, 12));
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 6);
  const rdata = encodeName(name);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(12, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  server.socket.send(Buffer.concat([header, q.msg.subarray(12, questionEnd), rr, rdata]), q.from.port, q.from.address);
}

test('reverse lookups beyond the concurrency limit wait their turn; an answer names the address', async () => {
  const server = await fakeServer();
  const dns = createReverseDns({ concurrency: 3, timeoutMs: 5000, tries: 1, servers: [`127.0.0.1:${server.port}`], hostsFile: '' });
  try {
    const lookups = Array.from({ length: 10 }, (_, i) => dns.lookup(`192.0.2.${10 + i}`));
    while (server.held.length < 3) await sleep(10);
    await sleep(200); // room for a fourth query, were the limit not kept
    assert.equal(server.held.length, 3);
    answer(server, server.held[0]!, 'first.lab.test');
    while (server.held.length < 4) await sleep(10);
    const first = server.held[0]!.msg.subarray(12).toString('latin1');
    const name = await Promise.race(lookups.slice(0, 3).map(async (p, i) => [i, await p] as const));
    assert.equal(name[1], 'first.lab.test', `the answered query (${JSON.stringify(first)}) resolved`);
    dns.cancel();
    const rest = await Promise.all(lookups);
    assert.equal(rest.filter((n) => n === 'first.lab.test').length, 1);
    assert.equal(rest.filter((n) => n === undefined).length, 9, 'cancel() resolves every other lookup, queued or in flight');
    assert.ok(server.held.length <= 4, `${server.held.length} queries sent: the queue was dropped, not sent`);
  } finally {
    dns.cancel();
    server.socket.close();
  }
});

test('a name server that never answers costs one timeout per try, then no name', async () => {
  const server = await fakeServer();
  const dns = createReverseDns({ timeoutMs: 100, tries: 2, servers: [`127.0.0.1:${server.port}`], hostsFile: '' });
  try {
    assert.equal(await dns.lookup('192.0.2.1'), undefined);
    assert.equal(server.held.length, 2, 'two tries');
  } finally {
    server.socket.close();
  }
});

import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { directDialer } from '../../../../src/net/index.js';
import { detectService, DEFAULT_DETECT, type DetectOptions } from '../../../../src/probes/service/detect.js';
import { printable } from '../../../../src/probes/service/match-helpers.js';
import { buildProbeTable, probesFor } from '../../../../src/probes/service/registry.js';

// Short waits: loopback answers within milliseconds; nothing here asserts on time.
const FAST: DetectOptions = { ...DEFAULT_DETECT, dialer: directDialer, greetWaitMs: 300, probeWaitMs: 800, idleMs: 100 };

async function serve(onConn: (s: Socket) => void): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server, sockets };
}

async function stop(s: { server: Server; sockets: Set<Socket> }): Promise<void> {
  for (const c of s.sockets) c.destroy();
  await new Promise((r) => s.server.close(r));
}

test('a greeting is matched without sending anything', async () => {
  let received = 0;
  const srv = await serve((s) => {
    s.write('SSH-2.0-OpenSSH_9.6\r\n');
    s.on('data', (d) => (received += d.length));
  });
  try {
    const r = await detectService('127.0.0.1', srv.port, FAST);
    assert.equal(r.match?.name, 'ssh');
    assert.equal(r.match?.version, '9.6');
    assert.equal(received, 0);
  } finally {
    await stop(srv);
  }
});

test('a silent HTTP server is identified by the HTTP probe after the TLS attempt fails', async () => {
  const srv = await serve((s) =>
    s.once('data', (d) => {
      const ok = d.toString('latin1').startsWith('GET / HTTP/1.1');
      s.end(ok ? 'HTTP/1.1 200 OK\r\nServer: lab-httpd/2.1\r\n\r\n<title> Lab </title>' : 'HTTP/1.1 400 Bad Request\r\n\r\n');
    }),
  );
  try {
    const r = await detectService('127.0.0.1', srv.port, FAST);
    assert.deepEqual(r.match, { name: 'http', product: 'lab-httpd', version: '2.1', http: { status: 200, title: 'Lab', server: 'lab-httpd/2.1' } });
    assert.equal(r.tls, undefined);
  } finally {
    await stop(srv);
  }
});

test('an unrecognised speaker is reported with its printable banner', async () => {
  const srv = await serve((s) => s.write(Buffer.from([0x01, 0x02, 0x48, 0x69, 0x0d, 0x0a])));
  try {
    const r = await detectService('127.0.0.1', srv.port, { ...FAST, intensity: 0 });
    assert.equal(r.match, null);
    assert.equal(r.banner, '\\x01\\x02Hi\\r\\n');
  } finally {
    await stop(srv);
  }
});

test('a closed port is reported unreachable', async () => {
  const srv = await serve(() => {});
  const port = srv.port;
  await stop(srv);
  const r = await detectService('127.0.0.1', port, FAST);
  assert.equal(r.reachable, false);
});

test('probes naming the port come first, then by rarity; rare probes wait for a higher intensity', () => {
  const table = buildProbeTable();
  const names = (port: number, intensity: number): string[] => probesFor(table, port, intensity, false).map((p) => p.name);
  assert.equal(names(6379, 0)[0], 'RedisInfo');
  assert.deepEqual(names(6379, 0), ['RedisInfo']);
  assert.deepEqual(names(40000, 1), ['HTTPGet', 'GenericLines']);
  assert.ok(names(40000, 9).includes('SMBNegotiate'));
  assert.ok(!names(40000, 4).includes('SMBNegotiate'));
});

test('printable escapes control bytes and cuts long banners', () => {
  assert.equal(printable(Buffer.from('a\\b\r\n\x00')), 'a\\\\b\\r\\n\\x00');
  assert.equal(printable(Buffer.alloc(300, 0x41)), `${'A'.repeat(256)}…`);
});

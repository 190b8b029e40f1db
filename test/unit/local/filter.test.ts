import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterSockets, parsePortList } from '../../../src/local/filter.js';
import type { ListeningSocket } from '../../../src/model/index.js';

const sock = (protocol: 'tcp' | 'udp', address: string, port: number, exposure: ListeningSocket['exposure'], name: string, user: string, uid: number): ListeningSocket => ({
  protocol,
  family: 4,
  address,
  port,
  exposure,
  state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
  inode: port,
  owner: user,
  ownerKnown: true,
  processes: [{ pid: port * 10, name, command: `/usr/sbin/${name} -f`, user, uid }],
});
const all = [
  sock('tcp', '0.0.0.0', 22, 'all-interfaces', 'sshd', 'root', 0),
  sock('tcp', '127.0.0.1', 5432, 'loopback', 'postgres', 'postgres', 107),
  sock('udp', '0.0.0.0', 53, 'all-interfaces', 'dnsmasq', 'nobody', 65534),
  sock('udp', '192.0.2.10', 123, 'interface', 'ntpd', 'ntp', 110),
];
const ports = (f: Parameters<typeof filterSockets>[1]) => filterSockets(all, f).map((s) => s.port);

test('no filter keeps everything', () => assert.deepEqual(ports({}), [22, 5432, 53, 123]));
test('--tcp, --udp, and both together', () => {
  assert.deepEqual(ports({ tcp: true }), [22, 5432]);
  assert.deepEqual(ports({ udp: true }), [53, 123]);
  assert.deepEqual(ports({ tcp: true, udp: true }), [22, 5432, 53, 123]);
});
test('--public drops loopback-only sockets', () => assert.deepEqual(ports({ public: true }), [22, 53, 123]));
test('--port', () => assert.deepEqual(ports({ ports: [53, 5432, 9] }), [5432, 53]));
test('--process matches name, command line (any case) or pid', () => {
  assert.deepEqual(ports({ process: 'SSHD' }), [22]);
  assert.deepEqual(ports({ process: '/usr/sbin/ntpd' }), [123]);
  assert.deepEqual(ports({ process: '530' }), [53]);
});
test('--user matches name or uid; filters combine with AND', () => {
  assert.deepEqual(ports({ user: 'postgres' }), [5432]);
  assert.deepEqual(ports({ user: '65534' }), [53]);
  assert.deepEqual(ports({ user: 'root', udp: true }), []);
});
test('port lists and ranges; bad lists are errors with the offending part', () => {
  assert.deepEqual(parsePortList('22,80-82'), [22, 80, 81, 82]);
  for (const bad of ['', 'x', '70000', '10-5', '1-', '22,,80']) {
    assert.throws(
      () => parsePortList(bad),
      (e: Error & { code?: string }) => e.code === 'E_OPTION' && e.message.startsWith('--port'),
      bad,
    );
  }
});

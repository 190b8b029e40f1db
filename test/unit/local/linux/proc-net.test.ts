import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hexToIPv4, hexToIPv6, parseProcNet } from '../../../../src/local/linux/proc-net.js';
import { fixture } from '../fixture.js';

test('IPv4 words are read in little-endian host order', () => {
  const cases: [string, string][] = [
    ['0100007F', '127.0.0.1'],
    ['00000000', '0.0.0.0'],
    ['0A0200C0', '192.0.2.10'],
    ['3500007F', '127.0.0.53'],
  ];
  for (const [hex, want] of cases) assert.equal(hexToIPv4(hex), want, hex);
});

test('IPv4 words are read as-is on big-endian hosts', () => {
  assert.equal(hexToIPv4('7F000001', false), '127.0.0.1');
});

test('IPv6 addresses are four host-order words, printed in RFC 5952 form', () => {
  const cases: [string, string][] = [
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000001000000', '::1'],
    ['B80D0120000000000000000010000000', '2001:db8::10'],
    ['0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['000080FE000000000000000001000000', 'fe80::1'],
    ['B80D0120010000000000000001000000', '2001:db8:0:1::1'],
  ];
  for (const [hex, want] of cases) assert.equal(hexToIPv6(hex), want, hex);
});

test('malformed hex addresses are rejected, not misread', () => {
  for (const bad of ['', '0100007', '0100007G', '01000070FF']) assert.equal(hexToIPv4(bad), null, bad);
  assert.equal(hexToIPv6('0'.repeat(31)), null);
});

test('tcp keeps only LISTEN rows with address, port, uid and inode', () => {
  const rows = parseProcNet(fixture('linux/tcp'), 'tcp');
  assert.deepEqual(rows, [
    { protocol: 'tcp', family: 4, address: '0.0.0.0', port: 22, state: 'LISTEN', inode: 1001, uid: 0 },
    { protocol: 'tcp', family: 4, address: '127.0.0.1', port: 5432, state: 'LISTEN', inode: 1002, uid: 107 },
    { protocol: 'tcp', family: 4, address: '192.0.2.10', port: 8080, state: 'LISTEN', inode: 1003, uid: 65534 },
  ]);
});

test('tcp6 reads ::, ::1, global, mapped and link-local listeners and skips established ones', () => {
  const rows = parseProcNet(fixture('linux/tcp6'), 'tcp6');
  assert.deepEqual(
    rows.map((r) => [r.address, r.port, r.inode, r.family]),
    [
      ['::', 22, 2001, 6],
      ['::1', 631, 2002, 6],
      ['2001:db8::10', 443, 2003, 6],
      ['::ffff:127.0.0.1', 9000, 2004, 6],
      ['fe80::1', 8443, 2005, 6],
    ],
  );
});

test('udp keeps unconnected (state 07) sockets and skips connected ones', () => {
  const rows = parseProcNet(fixture('linux/udp'), 'udp');
  assert.deepEqual(
    rows.map((r) => [r.address, r.port, r.state, r.uid]),
    [
      ['0.0.0.0', 53, 'UNCONN', 101],
      ['127.0.0.53', 53, 'UNCONN', 101],
    ],
  );
  const rows6 = parseProcNet(fixture('linux/udp6'), 'udp6');
  assert.deepEqual(
    rows6.map((r) => [r.protocol, r.address, r.port]),
    [
      ['udp', '::', 5353],
      ['udp', '2001:db8:0:1::1', 123],
    ],
  );
});

test('a header-only or garbage table yields no sockets', () => {
  assert.deepEqual(parseProcNet('  sl  local_address rem_address   st\n', 'tcp'), []);
  assert.deepEqual(parseProcNet('x\n0: zz:zz 0:0 0A a b c d e f\n\n', 'tcp'), []);
});

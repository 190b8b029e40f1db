import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLsof, parsePs, splitEndpoint } from '../../../../src/local/darwin/lsof.js';
import { fixture } from '../fixture.js';

const sockets = parseLsof(fixture('darwin/lsof.txt'), parsePs(fixture('darwin/ps.txt')));
const find = (proto: string, address: string, port: number) => sockets.find((s) => s.protocol === proto && s.address === address && s.port === port);

test('listening TCP and bound UDP rows are kept; connected and established rows are not', () => {
  assert.deepEqual(
    sockets.map((s) => `${s.protocol}${s.family} ${s.address} ${s.port}`),
    ['tcp6 :: 22', 'tcp4 0.0.0.0 22', 'udp4 0.0.0.0 5353', 'udp6 :: 5353', 'tcp6 ::1 631', 'tcp4 127.0.0.1 631', 'tcp4 0.0.0.0 49152', 'tcp6 :: 49152', 'tcp4 192.168.1.23 8080', 'udp6 fe80::1%lo0 123', 'udp4 127.0.0.1 123'],
  );
});

test('one DEVICE in two processes is one socket with both processes', () => {
  const nginx = find('tcp', '192.168.1.23', 8080);
  assert.deepEqual(
    nginx?.processes?.map((p) => [p.pid, p.name, p.user, p.uid]),
    [
      [810, 'nginx', 'alice', 501],
      [811, 'nginx', 'alice', 501],
    ],
  );
});

test('full command lines and uids come from ps; names from lsof', () => {
  const cups = find('tcp', '::1', 631);
  assert.deepEqual(cups?.processes, [{ pid: 512, name: 'cupsd', command: '/usr/sbin/cupsd -l', user: 'root', uid: 0 }]);
  assert.equal(find('udp', '0.0.0.0', 5353)?.processes?.[0]?.user, '_mdnsresponder');
});

test('without ps the lsof user and name are used', () => {
  const [first] = parseLsof(fixture('darwin/lsof.txt'));
  assert.deepEqual(first?.processes, [{ pid: 1, name: 'launchd', command: 'launchd', user: 'root', uid: null }]);
});

test('lsof endpoints: any address, brackets, zones; wildcard ports are not endpoints', () => {
  assert.deepEqual(splitEndpoint('*:22', 4), { address: '0.0.0.0', port: 22 });
  assert.deepEqual(splitEndpoint('*:22', 6), { address: '::', port: 22 });
  assert.deepEqual(splitEndpoint('[::1]:631', 6), { address: '::1', port: 631 });
  assert.equal(splitEndpoint('*:*', 4), null);
  assert.equal(splitEndpoint('garbage', 4), null);
});

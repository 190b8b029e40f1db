import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvLine, parseNetstat, parseTasklistCsv, splitWinEndpoint } from '../../../../src/local/win32/netstat.js';
import { fixture } from '../fixture.js';

const tasks = parseTasklistCsv(fixture('win32/tasklist.csv'));
const sockets = parseNetstat(fixture('win32/netstat.txt'), tasks);

test('netstat -ano: listening TCP and bound UDP rows, established ones skipped', () => {
  assert.deepEqual(
    sockets.map((s) => `${s.protocol}${s.family} ${s.address} ${s.port} ${s.processes?.map((p) => p.pid).join(',')}`),
    [
      'tcp4 0.0.0.0 135 1012',
      'tcp4 0.0.0.0 445 4',
      'tcp4 127.0.0.1 5939 3344',
      'tcp4 192.168.56.1 139 4',
      'tcp6 :: 135 1012',
      'tcp6 ::1 5939 3344',
      'tcp6 fe80::1c2d:3e4f:5a6b:7c8d%12 2869 4',
      'udp4 0.0.0.0 5353 2288',
      'udp4 127.0.0.1 1900 4410',
      'udp4 192.168.1.40 137 4',
      'udp6 :: 5353 2288',
      'udp6 ::1 1900 4410',
      'udp6 fe80::1c2d:3e4f:5a6b:7c8d%12 546 1596',
    ],
  );
});

test('process names and users come from tasklist; "N/A" users are empty', () => {
  const rpc = sockets[0]!;
  assert.deepEqual(rpc.processes, [{ pid: 1012, name: 'svchost.exe', command: 'svchost.exe', user: 'NT AUTHORITY\\NETWORK SERVICE', uid: null }]);
  assert.deepEqual(sockets[1]!.processes, [{ pid: 4, name: 'System', command: 'System', user: '', uid: null }]);
});

test('a localised state word does not matter: listening is read from the foreign address', () => {
  const text = '  TCP    0.0.0.0:8080           0.0.0.0:0              ABHÖREN         77\r\n  TCP    10.0.0.1:5000          10.0.0.2:80            HERGESTELLT     78\r\n';
  assert.deepEqual(
    parseNetstat(text).map((s) => s.port),
    [8080],
  );
});

test('tasklist CSV handles doubled quotes and commas inside fields', () => {
  assert.deepEqual(parseCsvLine('"a","b,c","say ""hi""",""'), ['a', 'b,c', 'say "hi"', '']);
  assert.equal(tasks.get(5120)?.image, 'chrome.exe');
  assert.equal(tasks.get(5120)?.user, 'DESKTOP-7Q2\\alice');
  assert.equal(tasks.has(Number.NaN), false);
});

test('windows endpoints', () => {
  assert.deepEqual(splitWinEndpoint('[::]:135'), { address: '::', port: 135, family: 6 });
  assert.deepEqual(splitWinEndpoint('127.0.0.1:5939'), { address: '127.0.0.1', port: 5939, family: 4 });
  assert.equal(splitWinEndpoint('*:*'), null);
});

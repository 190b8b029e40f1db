import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortSpecError } from '../../../src/model/index.js';
import { topPorts } from '../../../src/ports/index.js';
import { TOP_TCP } from '../../../src/ports/data/top-tcp.js';
import { TOP_UDP } from '../../../src/ports/data/top-udp.js';

for (const [name, list, min] of [
  ['TCP', TOP_TCP, 1000],
  ['UDP', TOP_UDP, 200],
] as const) {
  test(`the ${name} ranking has at least ${min} distinct ports, all 1-65535`, () => {
    assert.ok(list.length >= min, `${list.length} ports`);
    assert.equal(new Set(list).size, list.length, 'duplicates in the ranking');
    for (const p of list) assert.ok(Number.isInteger(p) && p >= 1 && p <= 65535, String(p));
  });
}

test('top TCP ports start with the web, remote access and mail services', () => {
  assert.deepEqual(topPorts(3, 'tcp'), [22, 80, 443]);
  const top20 = topPorts(20, 'tcp');
  for (const p of [21, 22, 25, 80, 443, 3389, 8080]) assert.ok(top20.includes(p), `port ${p}`);
});

test('top UDP ports start with DNS, NTP and SNMP', () => {
  assert.deepEqual(topPorts(3, 'udp'), [53, 123, 161]);
});

test('topPorts returns exactly n ports, ascending, for every size', () => {
  for (const n of [1, 10, 100, 1000, 1096, 5000, 65535]) {
    const got = topPorts(n, 'tcp');
    assert.equal(got.length, n);
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]! < got[i]!);
  }
  assert.deepEqual(
    topPorts(65535, 'udp'),
    Array.from({ length: 65535 }, (_, i) => i + 1),
  );
});

test('the top 100 are a subset of the top 1000', () => {
  const big = new Set(topPorts(1000, 'tcp'));
  for (const p of topPorts(100, 'tcp')) assert.ok(big.has(p));
});

test('--top-ports outside 1-65535 or not whole is a PortSpecError', () => {
  for (const n of [0, -1, 65536, 1.5, Number.NaN, Infinity]) assert.throws(() => topPorts(n, 'tcp'), PortSpecError, String(n));
});

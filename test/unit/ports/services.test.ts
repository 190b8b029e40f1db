import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPortRanges, serviceName } from '../../../src/ports/index.js';

const names: [number, 'tcp' | 'udp', string | undefined][] = [
  [22, 'tcp', 'ssh'],
  [80, 'tcp', 'http'],
  [443, 'tcp', 'https'],
  [3306, 'tcp', 'mysql'],
  [5432, 'tcp', 'postgresql'],
  [6379, 'tcp', 'redis'],
  [27017, 'tcp', 'mongodb'],
  [3389, 'tcp', 'ms-wbt-server'],
  [25, 'tcp', 'smtp'],
  [53, 'udp', 'domain'],
  [123, 'udp', 'ntp'],
  [4, 'tcp', undefined],
  [0, 'tcp', undefined],
  [65535, 'tcp', undefined],
];

for (const [port, proto, want] of names) {
  test(`service name of ${port}/${proto} is ${String(want)}`, () => {
    assert.equal(serviceName(port, proto), want);
  });
}

const ranges: [number[], string][] = [
  [[], ''],
  [[22], '22'],
  [[1, 2, 3, 5, 7, 8, 9], '1-3,5,7-9'],
  [[21, 22, 80, 443, 8080, 8081], '21-22,80,443,8080-8081'],
  [[0, 1, 65535], '0-1,65535'],
];

for (const [ports, want] of ranges) {
  test(`formatPortRanges(${JSON.stringify(ports)}) is "${want}"`, () => {
    assert.equal(formatPortRanges(ports), want);
  });
}

test('formatPortRanges of every port is 1-65535', () => {
  assert.equal(formatPortRanges(Array.from({ length: 65535 }, (_, i) => i + 1)), '1-65535');
});

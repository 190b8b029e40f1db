import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPortRanges, serviceName, serviceNamer } from '../../../src/ports/index.js';

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

// serviceName answers its first 65,536 lookups straight from IANA's object and builds the port table after
// that (issue 15): both paths must give the same names. Half the ports, spread over the range by an odd
// multiplier (a permutation mod 2^16), each with both protocols: the first pass is direct, the second from
// the table.
test('service names: direct lookups and the port table agree (32,768 ports × tcp, udp)', () => {
  const ports = Array.from({ length: 32768 }, (_, i) => (i * 40503) & 0xffff);
  const first = ports.map((p) => [serviceName(p, 'tcp'), serviceName(p, 'udp')]);
  serviceName(1, 'tcp'); // past the direct lookups: the table is built now
  const second = ports.map((p) => [serviceName(p, 'tcp'), serviceName(p, 'udp')]);
  assert.deepEqual(first, second);
  assert.ok(first.filter(([t]) => t !== undefined).length > 1000, 'a fair share of the ports have names');
});

test('serviceNamer: the table a full-range caller gets names every port as serviceName does, per protocol', () => {
  for (const protocol of ['tcp', 'udp'] as const) {
    const bulk = serviceNamer(protocol, 65535);
    const few = serviceNamer(protocol, 10);
    for (let port = 0; port < 65536; port += 7) {
      assert.equal(bulk(port), serviceName(port, protocol), `${port}/${protocol}`);
      assert.equal(few(port), serviceName(port, protocol), `${port}/${protocol}`);
    }
  }
  assert.equal(serviceNamer('tcp', 65535)(80), 'http');
  assert.equal(serviceNamer('udp', 65535)(53), 'domain');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalAddress, familyOf, isLoopback } from '../../../src/targets/index.js';

const canonical: [string, string | undefined][] = [
  ['192.0.2.1', '192.0.2.1'],
  ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['0:0:0:0:0:0:0:0', '::'],
  ['0:0:0:0:0:0:0:1', '::1'],
  ['::ffff:c000:0201', '::ffff:192.0.2.1'],
  ['1::', '1::'],
  ['not-an-address', undefined],
  ['1.2.3.256', undefined],
  [':::', undefined],
  [':1::', undefined],
  ['1.2.3.4::', undefined],
];

for (const [input, want] of canonical) {
  test(`canonical form of ${JSON.stringify(input)} is ${String(want)}`, () => {
    assert.equal(canonicalAddress(input), want);
  });
}

test('familyOf tells IPv4 from IPv6 and names from both', () => {
  assert.equal(familyOf('192.0.2.1'), 4);
  assert.equal(familyOf('::1'), 6);
  assert.equal(familyOf('localhost'), undefined);
});

test('loopback is 127.0.0.0/8, ::1 and IPv4-mapped 127/8, nothing else', () => {
  for (const a of ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(a), true, a);
  for (const a of ['128.0.0.1', '126.255.255.255', '::2', '::', '0.0.0.0', '::ffff:10.0.0.1', 'localhost']) assert.equal(isLoopback(a), false, a);
});

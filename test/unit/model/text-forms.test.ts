import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressIPv6, formatPortRanges } from '../../../src/model/index.js';

test('compressIPv6 replaces the longest zero run and leaves single zero groups', () => {
  assert.equal(compressIPv6([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]), '2001:db8:0:1::1');
  assert.equal(compressIPv6([1, 0, 0, 2, 0, 0, 0, 3]), '1:0:0:2::3');
  assert.equal(compressIPv6([1, 0, 0, 2, 0, 0, 3, 4]), '1::2:0:0:3:4');
  assert.equal(compressIPv6([1, 2, 3, 4, 5, 6, 0, 8]), '1:2:3:4:5:6:0:8');
  assert.equal(compressIPv6([0, 0, 0, 0, 0, 0, 0, 0]), '::');
  assert.equal(compressIPv6([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
});

test('formatPortRanges joins runs, sorts and drops duplicates', () => {
  assert.equal(formatPortRanges([5, 1, 2, 3, 3, 7, 8, 9]), '1-3,5,7-9');
  assert.equal(formatPortRanges([]), '');
  assert.equal(formatPortRanges([65535]), '65535');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPortRanges, parsePortRanges } from '../../../src/output/port-ranges.js';

const cases: [number[], string][] = [
  [[], ''],
  [[80], '80'],
  [[1, 2, 3], '1-3'],
  [[1, 2, 3, 5], '1-3,5'],
  [[5, 3, 1, 2, 2], '1-3,5'],
  [[1, 65535], '1,65535'],
  [[22, 23, 80, 443, 444, 445, 8080], '22-23,80,443-445,8080'],
];

test('port lists are written as ascending ranges like nmap extrareasons', () => {
  for (const [list, text] of cases) assert.equal(formatPortRanges(list), text, JSON.stringify(list));
});

test('range text parses back to the same sorted port list', () => {
  for (const [list, text] of cases)
    assert.deepEqual(
      parsePortRanges(text),
      [...new Set(list)].sort((a, b) => a - b),
    );
});

test('a full 1-65535 range round-trips', () => {
  const all = Array.from({ length: 65535 }, (_, i) => i + 1);
  assert.equal(formatPortRanges(all), '1-65535');
  assert.equal(parsePortRanges('1-65535').length, 65535);
});

test('malformed range text is rejected', () => {
  for (const bad of ['a', '1-', '5-3', '1,,2', '70000', '1-70000', ' 1']) assert.throws(() => parsePortRanges(bad), bad);
});

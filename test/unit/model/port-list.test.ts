import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPortRanges, isMaybeOpen, MAYBE_OPEN_STATES, parsePortRange, parsePortRanges, type PortState } from '../../../src/model/index.js';

test('parsePortRange reads a port or a closed range and refuses everything else', () => {
  const cases: [string, [number, number] | undefined][] = [
    ['0', [0, 0]],
    ['80', [80, 80]],
    ['8000-8010', [8000, 8010]],
    ['65535', [65535, 65535]],
    ['65536', undefined],
    ['10-5', undefined],
    ['-5', undefined],
    ['5-', undefined],
    ['http', undefined],
    ['1-2-3', undefined],
    ['', undefined],
    [' 80', undefined],
    ['123456', undefined],
  ];
  for (const [item, want] of cases) assert.deepEqual(parsePortRange(item), want, JSON.stringify(item));
});

test('parsePortRanges is the inverse of formatPortRanges and names a bad item', () => {
  for (const ports of [[], [1], [1, 2, 3, 5], [22, 80, 443, 8000, 8001, 8002, 65535]]) {
    assert.deepEqual(parsePortRanges(formatPortRanges(ports)), ports);
  }
  assert.throws(() => parsePortRanges('1-3,,5'), /bad item ""/);
  assert.throws(() => parsePortRanges('1,99999'), /bad item "99999"/);
});

test('isMaybeOpen holds for exactly open, open|filtered and unfiltered', () => {
  const all: PortState[] = ['open', 'closed', 'filtered', 'unfiltered', 'open|filtered', 'closed|filtered'];
  assert.deepEqual(all.filter(isMaybeOpen), ['open', 'unfiltered', 'open|filtered']);
  assert.deepEqual([...MAYBE_OPEN_STATES].sort(), ['open', 'open|filtered', 'unfiltered']);
  assert.equal(isMaybeOpen('nonsense'), false);
});

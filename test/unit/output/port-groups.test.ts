import { test } from 'node:test';
import assert from 'node:assert/strict';
import { host, mixedHost, ports } from './fixtures.js';
import { layoutPorts, type FoldRule } from '../../../src/output/port-groups.js';

const NMAP: FoldRule = { mode: 'nmap', openOnly: false, verbose: 0, foldWildcardOpen: false };

test('a state with 25 ports is listed, one with 26 is folded', () => {
  const h25 = host({ ports: ports(1, 25, 'closed', 'conn-refused') });
  assert.equal(layoutPorts(h25, NMAP).shown.length, 25);
  const h26 = host({ ports: ports(1, 26, 'closed', 'conn-refused') });
  const l = layoutPorts(h26, NMAP);
  assert.equal(l.shown.length, 0);
  assert.deepEqual(l.folded, [{ state: 'closed', count: 26, reasons: [{ reason: 'conn-refused', protocol: 'tcp', count: 26, ports: ports(1, 26, 'closed', 'conn-refused').map((p) => p.port) }] }]);
});

test('-v raises the fold limit to 25 x (verbosity + 1)', () => {
  const h = host({ ports: ports(1, 50, 'closed', 'conn-refused') });
  assert.equal(layoutPorts(h, { ...NMAP, verbose: 1 }).shown.length, 50);
  const h51 = host({ ports: ports(1, 51, 'closed', 'conn-refused') });
  assert.equal(layoutPorts(h51, { ...NMAP, verbose: 1 }).shown.length, 0);
  assert.equal(layoutPorts(h51, { ...NMAP, verbose: 2 }).shown.length, 51);
});

test('open ports are never folded, however many', () => {
  const h = host({ ports: ports(1, 1000, 'open', 'syn-ack') });
  assert.equal(layoutPorts(h, NMAP).shown.length, 1000);
});

test('--open folds closed and filtered ports even when few', () => {
  const h = host({ ports: [...ports(1, 3, 'closed', 'conn-refused'), ...ports(4, 4, 'open', 'syn-ack'), ...ports(5, 6, 'filtered', 'no-response')] });
  const l = layoutPorts(h, { ...NMAP, openOnly: true });
  assert.deepEqual(
    l.shown.map((p) => p.port),
    [4],
  );
  assert.deepEqual(
    l.folded.map((g) => [g.state, g.count]),
    [
      ['closed', 3],
      ['filtered', 2],
    ],
  );
});

test('folded groups are ordered by size and reasons by count, as nmap prints them', () => {
  const l = layoutPorts(mixedHost(), NMAP);
  assert.deepEqual(
    l.folded.map((g) => [g.state, g.count, g.reasons.map((r) => [r.reason, r.count])]),
    [
      ['closed', 921, [['conn-refused', 921]]],
      [
        'filtered',
        78,
        [
          ['no-response', 41],
          ['host-unreach', 37],
        ],
      ],
    ],
  );
});

test('a wildcard host has its open ports folded only when asked', () => {
  const h = host({ ports: ports(1, 100, 'open', 'syn-ack'), wildcard: { openRatio: 1, probed: 100 } });
  assert.equal(layoutPorts(h, NMAP).shown.length, 100);
  const l = layoutPorts(h, { ...NMAP, foldWildcardOpen: true });
  assert.equal(l.shown.length, 0);
  assert.equal(l.folded[0]?.state, 'open');
});

test('non-open mode folds every state that cannot be open and keeps open|filtered listed', () => {
  const h = host({ ports: [...ports(1, 2, 'closed', 'conn-refused'), ...ports(3, 3, 'open|filtered', 'no-response'), ...ports(4, 4, 'filtered', 'no-response')] });
  const l = layoutPorts(h, { ...NMAP, mode: 'non-open' });
  assert.deepEqual(
    l.shown.map((p) => p.port),
    [3],
  );
  assert.deepEqual(
    l.folded.map((g) => g.state),
    ['closed', 'filtered'],
  );
});

test('every port lands in exactly one place', () => {
  for (const verbose of [0, 1, 3]) {
    const h = mixedHost();
    const l = layoutPorts(h, { ...NMAP, verbose });
    const seen = [...l.shown.map((p) => p.port), ...l.folded.flatMap((g) => g.reasons.flatMap((r) => r.ports))].sort((a, b) => a - b);
    assert.deepEqual(
      seen,
      h.ports.map((p) => p.port),
    );
  }
});

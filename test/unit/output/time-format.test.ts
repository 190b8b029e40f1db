import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T0 } from './fixtures.js';
import { ctimeString, elapsedSeconds, hostCounts, screenTimeString, significantDigits } from '../../../src/output/time-format.js';

test('ctime form matches nmap headers, with a space-padded day', () => {
  assert.equal(ctimeString(T0), 'Wed Nov 25 16:57:32 2026');
  assert.equal(ctimeString(Date.UTC(2026, 10, 5, 1, 2, 3)), 'Thu Nov  5 01:02:03 2026');
});

test('the interactive header time is YYYY-MM-DD HH:MM ZONE', () => {
  assert.equal(screenTimeString(T0), '2026-11-25 16:57 UTC');
});

test('latency has two significant digits in fixed notation, as nmap prints it', () => {
  const cases: [number, string][] = [
    [0.0001, '0.00010'],
    [0.000096, '0.000096'],
    [0.00012, '0.00012'],
    [0.000037, '0.000037'],
    [0.0123, '0.012'],
    [1.5, '1.5'],
    [12.3, '12'],
  ];
  for (const [x, s] of cases) assert.equal(significantDigits(x, 2), s, String(x));
});

test('elapsed seconds have two decimals', () => {
  assert.equal(elapsedSeconds(60), '0.06');
  assert.equal(elapsedSeconds(1234), '1.23');
});

test('host counts use singular and plural as nmap does', () => {
  assert.equal(hostCounts(1, 1), '1 IP address (1 host up)');
  assert.equal(hostCounts(1, 0), '1 IP address (0 hosts up)');
  assert.equal(hostCounts(256, 3), '256 IP addresses (3 hosts up)');
});

import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import { OUTCOME_TIMEOUT } from '../../../src/net/backend.js';
import { classifyUdpOutcome, isIcmpOutcome } from '../../../src/net/udp-classify.js';

const E = constants.errno;

test('UDP outcomes map to nmap states and reasons', () => {
  const cases: [number, string][] = [
    [0, 'open/udp-response'],
    [E.ECONNREFUSED, 'closed/port-unreach'],
    [E.EHOSTUNREACH, 'filtered/host-unreach'],
    [E.ENETUNREACH, 'filtered/net-unreach'],
    [E.EACCES, 'filtered/admin-prohibited'],
  ];
  for (const [code, want] of cases) {
    const v = classifyUdpOutcome(code);
    assert.equal(v.kind === 'settled' ? `${v.state}/${v.reason}` : v.kind, want, `code ${code}`);
  }
});

test('silence is unanswered and local failures are not the target\'s answer', () => {
  assert.equal(classifyUdpOutcome(OUTCOME_TIMEOUT).kind, 'unanswered');
  assert.equal(classifyUdpOutcome(E.ENOBUFS).kind, 'local');
});

test('only ICMP errors count against the target\'s ICMP budget', () => {
  assert.equal(isIcmpOutcome(E.ECONNREFUSED), true);
  assert.equal(isIcmpOutcome(E.EACCES), true);
  assert.equal(isIcmpOutcome(0), false);
  assert.equal(isIcmpOutcome(OUTCOME_TIMEOUT), false);
});

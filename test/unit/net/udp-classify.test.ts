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

test("silence is unanswered and local failures are not the target's answer", () => {
  assert.equal(classifyUdpOutcome(OUTCOME_TIMEOUT).kind, 'unanswered');
  assert.equal(classifyUdpOutcome(E.ENOBUFS).kind, 'local');
});

test("only ICMP errors count against the target's ICMP budget", () => {
  assert.equal(isIcmpOutcome(E.ECONNREFUSED), true);
  assert.equal(isIcmpOutcome(E.EACCES), true);
  assert.equal(isIcmpOutcome(0), false);
  assert.equal(isIcmpOutcome(OUTCOME_TIMEOUT), false);
});

test('ICMP type and code (native prober) map to nmap states and reasons, IPv4 and IPv6', () => {
  const cases: [boolean, number, number, string][] = [
    [false, 3, 0, 'filtered/net-unreach'],
    [false, 3, 1, 'filtered/host-unreach'],
    [false, 3, 2, 'filtered/proto-unreach'],
    [false, 3, 3, 'closed/port-unreach'],
    [false, 3, 9, 'filtered/net-prohibited'],
    [false, 3, 10, 'filtered/host-prohibited'],
    [false, 3, 13, 'filtered/admin-prohibited'],
    [true, 1, 0, 'filtered/net-unreach'],
    [true, 1, 1, 'filtered/admin-prohibited'],
    [true, 1, 3, 'filtered/host-unreach'],
    [true, 1, 4, 'closed/port-unreach'],
    [true, 1, 6, 'filtered/admin-prohibited'],
    [false, 11, 0, 'filtered/unknown'],
  ];
  for (const [v6, type, code, want] of cases) {
    // The errno is what Linux puts beside the ICMP detail; the detail decides.
    const v = classifyUdpOutcome(E.EHOSTUNREACH, { v6, type, code });
    assert.equal(v.kind === 'settled' ? `${v.state}/${v.reason}` : v.kind, want, `${v6 ? 'ICMPv6' : 'ICMP'} ${type}/${code}`);
    assert.equal(isIcmpOutcome(E.EHOSTUNREACH, { v6, type, code }), true);
  }
});

test('path-MTU errors are not an answer about the port', () => {
  assert.equal(classifyUdpOutcome(E.EMSGSIZE, { v6: false, type: 3, code: 4 }).kind, 'local');
  assert.equal(classifyUdpOutcome(E.EMSGSIZE, { v6: true, type: 2, code: 0 }).kind, 'local');
  assert.equal(isIcmpOutcome(E.EMSGSIZE, { v6: true, type: 2, code: 0 }), false);
});

import { constants } from 'node:os';
import type { Verdict } from './backend.js';
import { OUTCOME_DRY, OUTCOME_TIMEOUT } from './backend.js';

const E = constants.errno as typeof constants.errno & Record<string, number | undefined>;

/**
 * errno of a connected UDP socket → nmap's UDP states (nmap book, "UDP scan (-sU)"): an ICMP port
 * unreachable (ECONNREFUSED) is closed; other ICMP unreachables are filtered; a datagram back is open;
 * silence after retries is open|filtered (decided by the engine, not here). Linux reports ICMPv4
 * admin-prohibited (3/13) as EHOSTUNREACH and ICMPv6 admin-prohibited (1/1) as EACCES; host-unreachable
 * (3/1) is a soft error that a socket without IP_RECVERR never sees, so it reads as silence.
 */
export function classifyUdpOutcome(code: number): Verdict {
  if (code === 0) return { kind: 'settled', state: 'open', reason: 'udp-response' };
  if (code === OUTCOME_TIMEOUT) return { kind: 'unanswered' };
  if (code === OUTCOME_DRY) return { kind: 'settled', state: 'closed', reason: 'dry-run' };
  if (code === E.ECONNREFUSED) return { kind: 'settled', state: 'closed', reason: 'port-unreach' };
  if (code === E.EHOSTUNREACH || code === E['EHOSTDOWN']) return { kind: 'settled', state: 'filtered', reason: 'host-unreach' };
  if (code === E.ENETUNREACH || code === E.ENETDOWN) return { kind: 'settled', state: 'filtered', reason: 'net-unreach' };
  if (code === E.EACCES || code === E.EPERM) return { kind: 'settled', state: 'filtered', reason: 'admin-prohibited' };
  if (code === E.ENOPROTOOPT) return { kind: 'settled', state: 'filtered', reason: 'proto-unreach' };
  return { kind: 'local', errno: String(code) };
}

/** True when the outcome is an ICMP error from the target: it spent one token of its ICMP rate limit. */
export function isIcmpOutcome(code: number): boolean {
  return code > 0 && classifyUdpOutcome(code).kind === 'settled';
}

import { constants } from 'node:os';
import type { PortReason } from '../model/index.js';
import type { Verdict } from './backend.js';
import { OUTCOME_DRY, OUTCOME_TIMEOUT } from './backend.js';
import type { IcmpDetail } from './udp-backend.js';

const E = constants.errno as typeof constants.errno & Record<string, number | undefined>;

/**
 * A UDP probe's outcome → nmap's UDP states (nmap book, "UDP scan (-sU)"): a datagram back is open; ICMP
 * port unreachable is closed; other ICMP unreachables (type 3 codes 0, 1, 2, 9, 10, 13) are filtered;
 * silence after retries is open|filtered (decided by the engine, not here).
 *
 * With the ICMP type and code (native prober) the mapping is exact. Without them (node:dgram) only the
 * errno is known: Linux reports ICMPv4 admin-prohibited (3/13) as EHOSTUNREACH and ICMPv6 admin-prohibited
 * (1/1) as EACCES (net/ipv4/icmp.c icmp_err_convert, net/ipv6/icmp.c tab_unreach), and host-unreachable
 * (3/1) is a soft error that a socket without IP_RECVERR never sees, so it reads as silence.
 */
export function classifyUdpOutcome(code: number, icmp?: IcmpDetail): Verdict {
  if (code === 0) return { kind: 'settled', state: 'open', reason: 'udp-response' };
  if (code === OUTCOME_TIMEOUT) return { kind: 'unanswered' };
  if (code === OUTCOME_DRY) return { kind: 'settled', state: 'closed', reason: 'dry-run' };
  if (icmp) return classifyIcmp(icmp) ?? { kind: 'local', errno: String(code) };
  if (code === E.ECONNREFUSED) return { kind: 'settled', state: 'closed', reason: 'port-unreach' };
  if (code === E.EHOSTUNREACH || code === E.EHOSTDOWN) return { kind: 'settled', state: 'filtered', reason: 'host-unreach' };
  if (code === E.ENETUNREACH || code === E.ENETDOWN) return { kind: 'settled', state: 'filtered', reason: 'net-unreach' };
  if (code === E.EACCES || code === E.EPERM) return { kind: 'settled', state: 'filtered', reason: 'admin-prohibited' };
  if (code === E.ENOPROTOOPT) return { kind: 'settled', state: 'filtered', reason: 'proto-unreach' };
  return { kind: 'local', errno: String(code) };
}

/**
 * Destination-unreachable codes → reason. ICMPv4 (RFC 792, RFC 1122 3.2.2.1, RFC 1812 5.2.7.1): 0 net,
 * 1 host, 2 protocol, 3 port, 5 source route failed, 6 net unknown, 7 host unknown, 8 source isolated,
 * 9 net prohibited, 10 host prohibited, 11/12 net/host for TOS, 13 communication prohibited, 14 host
 * precedence, 15 precedence cutoff. 9 and 10 carry nmap's names net-prohibited / host-prohibited.
 * Code 4 (fragmentation needed) is path MTU, not an answer about the port.
 */
const V4_UNREACH: (PortReason | undefined)[] = [
  'net-unreach',
  'host-unreach',
  'proto-unreach',
  'port-unreach',
  undefined,
  'host-unreach',
  'net-unreach',
  'host-unreach',
  'host-unreach',
  'net-prohibited',
  'host-prohibited',
  'net-unreach',
  'host-unreach',
  'admin-prohibited',
  'admin-prohibited',
  'admin-prohibited',
];
/** ICMPv6 destination unreachable (RFC 4443 3.1): 0 no route, 1 admin prohibited, 2 beyond scope,
 * 3 address unreachable, 4 port unreachable, 5 source address failed policy, 6 reject route, 7 error in
 * source routing header. */
const V6_UNREACH: PortReason[] = ['net-unreach', 'admin-prohibited', 'net-unreach', 'host-unreach', 'port-unreach', 'admin-prohibited', 'admin-prohibited', 'host-unreach'];

function classifyIcmp(icmp: IcmpDetail): Verdict | undefined {
  const unreach = icmp.v6 ? icmp.type === 1 : icmp.type === 3;
  if (unreach) {
    const reason = (icmp.v6 ? V6_UNREACH : V4_UNREACH)[icmp.code];
    if (reason === 'port-unreach') return { kind: 'settled', state: 'closed', reason };
    if (reason) return { kind: 'settled', state: 'filtered', reason };
    return icmp.v6 || icmp.code !== 4 ? { kind: 'settled', state: 'filtered', reason: 'unknown' } : undefined;
  }
  // Time exceeded (v4 11, v6 3) and parameter problem (v4 12, v6 4): the network answered, not the port.
  if (icmp.v6 ? icmp.type === 3 || icmp.type === 4 : icmp.type === 11 || icmp.type === 12) return { kind: 'settled', state: 'filtered', reason: 'unknown' };
  return undefined; // packet too big (v6 2), source quench...: not an answer about the port
}

/** True when the outcome is an ICMP error from the target: it spent one token of its ICMP rate limit. */
export function isIcmpOutcome(code: number, icmp?: IcmpDetail): boolean {
  return code > 0 && classifyUdpOutcome(code, icmp).kind === 'settled';
}

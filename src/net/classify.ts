import { constants } from 'node:os';
import type { PortReason } from '../model/index.js';
import { OUTCOME_DRY, OUTCOME_SELF, OUTCOME_TIMEOUT, PROXY_BASE, type Verdict } from './backend.js';

const E = constants.errno as typeof constants.errno & Record<string, number | undefined>;

/**
 * errno → state and reason, as nmap's connect scan reads them (nmap book, "TCP connect scan"; Linux maps
 * ICMP port-unreachable to ECONNREFUSED, ICMP host/net-unreachable and IPv4 admin-prohibited (type 3
 * code 13) to EHOSTUNREACH/ENETUNREACH, and ICMPv6 admin-prohibited to EACCES: net/ipv4/icmp.c
 * icmp_err_convert, net/ipv6/icmp.c tab_unreach).
 */
const FILTERED_ERRNO = new Map<number, PortReason>([
  [E.EHOSTUNREACH, 'host-unreach'],
  [E.ENETUNREACH, 'net-unreach'],
  [E.EACCES, 'admin-prohibited'],
  [E.EPERM, 'admin-prohibited'],
  [E.ENOPROTOOPT, 'proto-unreach'],
  [E.EHOSTDOWN ?? -1000, 'host-unreach'],
  [E.ENETDOWN, 'net-unreach'],
]);

/** Failures of our own machine: retry later with less parallelism; they say nothing about the target. */
const LOCAL_ERRNO = new Set<number>([E.EADDRNOTAVAIL, E.EMFILE, E.ENFILE, E.ENOBUFS, E.ENOMEM, E.EAGAIN, E.EADDRINUSE, E.EINTR].filter((n): n is number => typeof n === 'number'));

const errnoNames = new Map<number, string>(Object.entries(constants.errno).map(([name, n]) => [n, name] as const));

export function errnoName(code: number): string {
  return errnoNames.get(code) ?? `errno ${code}`;
}

export function classifyConnectOutcome(code: number): Verdict {
  if (code === 0) return { kind: 'settled', state: 'open', reason: 'syn-ack' };
  if (code === OUTCOME_TIMEOUT || code === OUTCOME_SELF) return { kind: 'unanswered' };
  if (code === OUTCOME_DRY) return { kind: 'settled', state: 'closed', reason: 'dry-run' };
  if (code <= PROXY_BASE) return classifySocksReply(PROXY_BASE - code);
  if (code === E.ECONNREFUSED || code === E.ECONNRESET) return { kind: 'settled', state: 'closed', reason: 'conn-refused' };
  const filtered = FILTERED_ERRNO.get(code);
  if (filtered) return { kind: 'settled', state: 'filtered', reason: filtered };
  if (LOCAL_ERRNO.has(code)) return { kind: 'local', errno: errnoName(code) };
  if (code === E.ETIMEDOUT) return { kind: 'unanswered' };
  return { kind: 'local', errno: errnoName(code) };
}

/**
 * SOCKS5 reply codes (RFC 1928 section 6) → what the proxy tells us about the port. The proxy made the
 * connection, so the state is the proxy's view (docs/proxy.md): 0 succeeded → open; 5 refused → closed;
 * 3/4 net/host unreachable → filtered; 2 not allowed by ruleset → filtered (proxy-denied); 6 TTL expired →
 * the proxy gave up waiting: filtered, like no-response; anything else is a proxy failure: retry.
 */
function classifySocksReply(rep: number): Verdict {
  switch (rep) {
    case 0:
      return { kind: 'settled', state: 'open', reason: 'proxy-connected' };
    case 5:
      return { kind: 'settled', state: 'closed', reason: 'proxy-refused' };
    case 3:
    case 4:
      return { kind: 'settled', state: 'filtered', reason: 'proxy-unreach' };
    case 2:
      return { kind: 'settled', state: 'filtered', reason: 'proxy-denied' };
    case 6:
      return { kind: 'unanswered' };
    default:
      return { kind: 'local', errno: `SOCKS5 reply ${rep}` };
  }
}

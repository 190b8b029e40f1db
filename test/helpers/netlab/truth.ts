import { verbFor, type FirewallPlan } from './firewall.js';

export type TruthState = 'open' | 'closed' | 'filtered';

export interface Truth {
  state: TruthState;
  /** nmap's reason word as a Linux TCP connect scan can observe it. */
  reason: string;
  /** Other outcomes that are also right, e.g. a rate-limited ICMP reject that arrives as silence. */
  or?: { state: TruthState; reason: string }[];
}

export interface TruthInput {
  plan: FirewallPlan;
  /** Ports with a listener reachable over the scanned family. */
  listening: ReadonlySet<number>;
  family: 4 | 6;
  /** ICMP rate limit in the target: with the kernel default most ICMP rejects arrive as silence. */
  icmpRateLimited: boolean;
  /** Every port is redirected to this one (wildcard host). */
  redirectAllTo?: number;
}

/**
 * Ground truth for a TCP connect scan from the scanner namespace. What `connect()` reports for each ICMP
 * error is Linux's mapping (net/ipv4/icmp.c icmp_err_convert, net/ipv6/icmp.c tab_unreach, applied by
 * tcp_v4_err/tcp_v6_err to a socket in SYN-SENT):
 *   port-unreachable      → ECONNREFUSED → closed / conn-refused (indistinguishable from a RST; nmap -sT
 *                           reports the same)
 *   admin-prohibited v4   → EHOSTUNREACH → filtered / host-unreach (type 3 code 13)
 *   admin-prohibited v6   → EACCES       → filtered / admin-prohibited
 *   host-unreachable      → EHOSTUNREACH → filtered / host-unreach (ICMPv6 address unreachable likewise)
 * Random loss never changes a state: a scanner that retries enough sees every port's answer eventually.
 */
export function truthFor(port: number, t: TruthInput): Truth {
  const effective = t.redirectAllTo ?? port;
  const verb = verbFor(t.plan, effective);
  const silent = { state: 'filtered', reason: 'no-response' } as const;
  const icmp = (state: TruthState, reason: string): Truth => (t.icmpRateLimited ? { state, reason, or: [silent] } : { state, reason });
  switch (verb) {
    case 'drop':
      return { ...silent };
    case 'reset':
      return { state: 'closed', reason: 'conn-refused' };
    case 'adminProhibited':
      return icmp('filtered', t.family === 6 ? 'admin-prohibited' : 'host-unreach');
    case 'portUnreachable':
      return icmp('closed', 'conn-refused');
    case 'hostUnreachable':
      return icmp('filtered', 'host-unreach');
    case undefined:
      return t.listening.has(effective) ? { state: 'open', reason: 'syn-ack' } : { state: 'closed', reason: 'conn-refused' };
  }
}

/** True when an observed state/reason is one the truth allows. */
export function matchesTruth(truth: Truth, state: string, reason: string): boolean {
  if (truth.state === state && truth.reason === reason) return true;
  return (truth.or ?? []).some((alt) => alt.state === state && alt.reason === reason);
}

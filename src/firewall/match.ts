import type { Match } from './types.js';
import { inRanges, nameMatches } from './values.js';

/** The first packet of a new inbound connection, as far as we know it. */
export interface Packet {
  family: 4 | 6;
  proto: 'tcp' | 'udp';
  dport: number;
  /** Source address; undefined when unknown (then rules on saddr are indeterminate). */
  saddr?: bigint;
  /** Destination address; undefined when unknown. */
  daddr?: bigint;
  /** Input interface name; undefined: some non-loopback interface we do not know. */
  iifname?: string;
  /** Conntrack state: 'new' (default) for the SYN, 'established' for the handshake's ACK. */
  ct?: 'new' | 'established';
  /** A route back to saddr goes out through the input interface (reverse-path filter); undefined: unknown. */
  rpf?: boolean;
  /** A redirect or DNAT applied to the connection (conntrack status dnat). */
  natted?: boolean;
}

/** Three-valued: the rule's match is false, true, or cannot be known statically. */
export const NO = 0;
export const YES = 1;
export const UNKNOWN = 2;
export type Tri = 0 | 1 | 2;

const PROTO_NUM = { tcp: 6, udp: 17 } as const;
const V4_LOOPBACK: readonly [bigint, bigint] = [0x7f000000n, 0x7fffffffn];

function isLoopback(family: 4 | 6, [lo, hi]: readonly [bigint, bigint]): boolean {
  return family === 4 ? lo >= V4_LOOPBACK[0] && hi <= V4_LOOPBACK[1] : lo === 1n && hi === 1n;
}

/**
 * One match against the packet. Header dependencies come first and are not negated: `ip saddr != X` never
 * matches an IPv6 packet and `tcp dport != 22` never matches UDP (nft adds an implicit protocol match,
 * libnftables payload dependencies; iptables needs `-p tcp` for --dport).
 */
export function evalMatch(m: Match, p: Packet, reason?: { why?: string }): Tri {
  if (m.family !== undefined && m.family !== p.family) return NO;
  let r: Tri;
  switch (m.field) {
    case 'dport':
      if (m.proto !== undefined && m.proto !== 'th' && m.proto !== p.proto) return NO;
      r = m.values.kind === 'num' && inRanges(m.values.ranges, p.dport) ? YES : NO;
      break;
    case 'sport':
      if (m.proto !== undefined && m.proto !== 'th' && m.proto !== p.proto) return NO;
      if (reason) reason.why = 'the source port';
      return UNKNOWN;
    case 'l4proto':
      r = m.values.kind === 'num' && inRanges(m.values.ranges, PROTO_NUM[p.proto]) ? YES : NO;
      break;
    case 'nfproto':
      r = m.values.kind === 'num' && inRanges(m.values.ranges, p.family) ? YES : NO;
      break;
    case 'saddr':
    case 'daddr': {
      const v = m.field === 'saddr' ? p.saddr : p.daddr;
      if (m.values.kind !== 'addr') return UNKNOWN;
      if (m.values.family !== p.family) return m.negate ? YES : NO;
      if (v === undefined) {
        // Unknown, but not loopback: Linux drops packets from another host with a loopback source or
        // destination as martians (net/ipv4/route.c ip_route_input_slow) before any input chain.
        if (m.values.ranges.every((x) => isLoopback(m.values.kind === 'addr' ? m.values.family : 4, x))) r = NO;
        else {
          if (reason) reason.why = m.field === 'saddr' ? 'the source address (give --from)' : 'the destination address';
          return UNKNOWN;
        }
      } else r = inRanges(m.values.ranges, v) ? YES : NO;
      break;
    }
    case 'iif':
    case 'iifname': {
      if (m.values.kind !== 'name') return UNKNOWN;
      if (p.iifname === undefined) {
        // Unknown, but not loopback: a packet from another host never arrives on lo.
        if (m.values.items.every((n) => n === 'lo')) r = NO;
        else {
          if (reason) reason.why = 'the input interface (give --iface)';
          return UNKNOWN;
        }
      } else r = nameMatches(m.values.items, p.iifname) ? YES : NO;
      break;
    }
    case 'oifname':
      // Input and prerouting have no output interface: it reads as "".
      r = m.values.kind === 'name' && nameMatches(m.values.items, '') ? YES : NO;
      break;
    case 'ctstate':
      r = m.values.kind === 'ctstate' && m.values.items.includes(p.ct ?? 'new') ? YES : NO;
      break;
    case 'dstlocal':
      r = m.values.kind === 'bool' && m.values.value ? YES : NO;
      break;
    case 'ctstatus':
      r = m.values.kind === 'ctstate' && p.natted === true && m.values.items.includes('dnat') ? YES : NO;
      break;
    case 'rpf':
      if (m.values.kind !== 'bool') return UNKNOWN;
      if (p.rpf === undefined) {
        if (reason) reason.why = 'the route back to the source (reverse-path filter: give --from and --iface)';
        return UNKNOWN;
      }
      r = p.rpf === m.values.value ? YES : NO;
      break;
    case 'never':
      return NO;
  }
  return m.negate ? ((1 - r) as Tri) : r;
}

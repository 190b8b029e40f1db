import type { FirewallRuleRef } from '../model/index.js';

/**
 * A firewall ruleset as portscope evaluates it: every table's chains (nftables, or iptables/ip6tables
 * read from their save format), each rule reduced to matches on the fields of a new inbound connection
 * and one action. Anything we cannot reduce is kept as `unknown` (a construct we do not know) or
 * `indeterminate` (known, but its outcome depends on runtime state: limit, numgen, ct count, quota).
 */

export type TableFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
export type Hook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';
export type Backend = 'nftables' | 'iptables-nft' | 'iptables-legacy' | 'iptables';

/** Inclusive intervals; numbers (ports, protocol numbers) and addresses (as bigint) alike. */
export type Interval<T> = readonly [T, T];

/** A set of values a field is compared with. */
export type ValueSet =
  | { kind: 'num'; ranges: Interval<number>[] }
  | { kind: 'addr'; family: 4 | 6; ranges: Interval<bigint>[] }
  /** Interface names; an item ending in '*' is a prefix (nft `iifname "eth*"`, iptables `-i eth+`). */
  | { kind: 'name'; items: string[] }
  /** Conntrack states: a new connection is in state 'new'. */
  | { kind: 'ctstate'; items: string[] }
  /** True when the field is known to be anything at all (iptables `-m addrtype --dst-type LOCAL`). */
  | { kind: 'bool'; value: boolean };

export type Field =
  | 'l4proto' // meta l4proto, ip protocol, ip6 nexthdr, iptables -p
  | 'nfproto' // meta nfproto / the family of the packet (ipv4, ipv6)
  | 'dport'
  | 'sport'
  | 'saddr'
  | 'daddr'
  | 'iif'
  | 'iifname'
  | 'oifname'
  | 'ctstate'
  | 'dstlocal' // the destination is an address of this host
  | 'ctstatus' // conntrack status bits: 'dnat' once a redirect/DNAT applied
  | 'rpf' // a route back to the source exists through the input interface (nft `fib saddr . iif oif`)
  | 'never'; // a header a plain TCP/UDP packet does not carry (IPv6 routing header…): never matches

export interface Match {
  field: Field;
  /** For dport/sport: the header it reads ('tcp', 'udp', 'th' any transport); for addresses 4 or 6. */
  proto?: 'tcp' | 'udp' | 'th' | 'sctp' | 'udplite' | 'dccp';
  family?: 4 | 6;
  negate: boolean;
  values: ValueSet;
}

export type RejectKind = 'tcp-reset' | 'port-unreachable' | 'admin-prohibited' | 'host-unreachable' | 'net-unreachable' | 'prot-unreachable' | 'host-prohibited' | 'net-prohibited' | 'addr-unreachable' | 'no-route';

export type Action =
  | { kind: 'accept' }
  | { kind: 'drop' }
  | { kind: 'reject'; with: RejectKind }
  | { kind: 'jump'; target: string }
  | { kind: 'goto'; target: string }
  | { kind: 'return' }
  /** No verdict (counter, log, mark…): the next rule is evaluated. */
  | { kind: 'continue' }
  /** Redirect to this host; port undefined: the destination port is kept. */
  | { kind: 'redirect'; port?: Interval<number> }
  | { kind: 'dnat'; addr?: string; port?: Interval<number> }
  | { kind: 'vmap'; key: Match; entries: { values: ValueSet; action: Action }[] };

export type RuleRef = FirewallRuleRef;

export interface Rule {
  ref: RuleRef;
  matches: Match[];
  action: Action;
  /** Known construct whose outcome is decided at runtime (limit, numgen, ct count, quota, recent…). */
  indeterminate?: string;
  /** A construct we do not know (a newer nft, an iptables match we do not read). */
  unknown?: string;
}

export interface Chain {
  backend: Backend;
  family: TableFamily;
  table: string;
  name: string;
  hook?: Hook;
  priority?: number;
  type?: 'filter' | 'nat' | 'route';
  policy?: 'accept' | 'drop';
  /** netdev chains: the device they are attached to. */
  device?: string;
  rules: Rule[];
}

export interface Ruleset {
  chains: Chain[];
  /** Where it came from, for messages ('nft -j list ruleset', a file name…). */
  sources: string[];
}

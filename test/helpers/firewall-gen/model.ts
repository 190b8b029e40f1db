/**
 * A generated ruleset in backend-neutral form, rendered to nftables (render-nft.ts) or to
 * iptables-restore input for IPv4 and IPv6 (render-iptables.ts) with the same meaning.
 */
export type Reject = 'tcp-reset' | 'port-unreachable' | 'admin-prohibited' | 'host-unreachable' | 'no-route';

export type GenAction = { k: 'accept' } | { k: 'drop' } | { k: 'reject'; with: Reject } | { k: 'jump'; chain: string } | { k: 'goto'; chain: string } | { k: 'return' } | { k: 'counter' };

export interface GenRule {
  proto: 'tcp' | 'udp' | 'any';
  /** Destination ports (inclusive ranges); only with proto tcp/udp/any. */
  dports?: [number, number][];
  dportNegate?: boolean;
  /** nft only: the dports come from a named set (rendered as multiport for iptables). */
  namedSet?: boolean;
  saddr?: { cidr: string; family: 4 | 6; negate: boolean };
  ct?: 'established,related' | 'new' | 'invalid';
  iif?: { name: string; negate: boolean };
  action: GenAction;
}

export interface GenRedirect {
  proto: 'tcp' | 'udp';
  from: number;
  to: number;
}

export interface GenRuleset {
  seed: number;
  policy: 'accept' | 'drop';
  input: GenRule[];
  /** User chains, reached by jump/goto from input (never from each other: no loops). */
  chains: Record<string, GenRule[]>;
  /** Rules of a raw-priority prerouting chain (drop/accept only). */
  raw: GenRule[];
  redirects: GenRedirect[];
  /** nft only: a verdict map on tcp dport in the input chain, placed at `vmapAt`. */
  vmap?: { at: number; entries: { port: number; action: GenAction }[] };
}

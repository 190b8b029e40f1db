/**
 * `portscope explain`: per port and family, the firewall's decision for a new inbound connection, the
 * rule that made it and the predicted outside state (docs/firewall.md; JSON: docs/schema/explain.schema.json).
 */

export type FirewallVerdict = 'accept' | 'drop' | 'reject' | 'forward' | 'indeterminate' | 'unknown';
export type PredictedState = 'open' | 'closed' | 'filtered' | 'open|filtered' | 'unknown';

/** Where a firewall rule is and what it says. */
export interface FirewallRuleRef {
  backend: 'nftables' | 'iptables-nft' | 'iptables-legacy' | 'iptables';
  family: 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
  table: string;
  chain: string;
  /** nftables rule handle. */
  handle?: number;
  /** Line in the save output (iptables-save) or the file read. */
  line?: number;
  /** The rule as the user wrote it (nft-like text for JSON input; the save line for iptables). */
  text: string;
  comment?: string;
  /** ufw's rule number (`ufw status numbered`) when the rule comes from ufw's user rules. */
  ufwNumber?: number;
}

/** The chain policy that decided, when no rule did. */
export interface FirewallPolicyRef {
  backend: string;
  family: string;
  table: string;
  chain: string;
  policy: 'accept' | 'drop';
}

export interface ExplainedProcess {
  pid: number;
  name: string;
  unit?: string;
}

/** One row of `explain` (the JSON form is docs/schema/explain.schema.json). */
export interface ExplainedPort {
  protocol: 'tcp' | 'udp';
  port: number;
  family: 'ipv4' | 'ipv6';
  predicted: PredictedState;
  reason: string;
  verdict: FirewallVerdict;
  rejectWith?: string;
  rule: FirewallRuleRef | null;
  policy?: FirewallPolicyRef;
  note?: string;
  nat?: { rule: FirewallRuleRef; port: number; addr?: string };
  /** When the handshake's ACK (conntrack established) is what a connect scan trips over: its fate. */
  handshake?: { verdict: FirewallVerdict; rule: FirewallRuleRef | null; rejectWith?: string };
  listening: boolean;
  /** The bound address of the listening socket this row is about. */
  address?: string;
  processes?: ExplainedProcess[];
  observed?: { state: string; reason: string };
  /** The scan saw something else than predicted (something upstream filters, or the ruleset changed). */
  mismatch?: boolean;
}

export interface ExplainResult {
  ports: ExplainedPort[];
  sources: string[];
  iface?: string;
  from?: string;
  ufwEnabled: boolean;
  /** firewalld manages this host's firewall (its table inet firewalld is loaded). */
  firewalld?: boolean;
}

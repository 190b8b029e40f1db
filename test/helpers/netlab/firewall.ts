/**
 * The firewall plan of one lab target, and the nftables ruleset that realises it.
 *
 * Every rule lives in one table, `inet portscope_lab`, in the target's namespace, replaced as a whole by
 * `applyRuleset`. The input chain sees packets into the target, from the veth and from its own loopback
 * alike (a SOCKS proxy inside the target reaching 127.0.0.1 meets the same rules).
 */
export interface FirewallPlan {
  /** Silently dropped: filtered / no-response. */
  drop?: number[];
  /** `reject with tcp reset`: closed / conn-refused. */
  reset?: number[];
  /** `reject with icmpx admin-prohibited` (ICMP type 3 code 13, ICMPv6 type 1 code 1). */
  adminProhibited?: number[];
  /** `reject with icmpx port-unreachable` (ICMP 3/3, ICMPv6 1/4). */
  portUnreachable?: number[];
  /** `reject with icmpx host-unreachable` (ICMP 3/1, ICMPv6 1/3 address unreachable). */
  hostUnreachable?: number[];
  /**
   * Random loss: `numgen random mod 100 < N drop`, the first rule of the input chain, so it applies before
   * every per-port rule. It drops N% of TCP and UDP packets INTO the target only (SYNs, the scanner's
   * ACKs and RSTs); answers leaving the target are not dropped, and neither is ICMPv6/ARP neighbour
   * discovery (losing those turns into EHOSTUNREACH for whole bursts of probes, which is not packet loss).
   * The kernel here has no netem (LAB-NOTES.md).
   */
  lossPercent?: number;
  /**
   * RSTs the target sends per second at most; the rest are dropped in its output hook
   * (`tcp flags & rst == rst limit rate over N/second drop`, nft's default burst of 5). Imitates FreeBSD's
   * and macOS's `net.inet.icmp.icmplim` (200/s by default), which limits RSTs to closed ports as well
   * (LAB-NOTES.md). Closed ports stay closed in the truth: a scanner must retry until the RST comes.
   */
  rstPerSecond?: number;
}

/** Rules in the order the input chain evaluates them; the first match wins (truth.ts follows the same order). */
export const RULE_ORDER = [
  ['drop', 'drop'],
  ['reset', 'reject with tcp reset'],
  ['adminProhibited', 'reject with icmpx admin-prohibited'],
  ['portUnreachable', 'reject with icmpx port-unreachable'],
  ['hostUnreachable', 'reject with icmpx host-unreachable'],
] as const satisfies readonly (readonly [keyof FirewallPlan, string])[];

export type FirewallVerb = (typeof RULE_ORDER)[number][0];

export const TABLE = 'portscope_lab';

function portSet(ports: readonly number[]): string {
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`netlab: bad port ${p} in firewall plan`);
  }
  return `{ ${[...new Set(ports)].join(', ')} }`;
}

/**
 * The nft script for a plan. `redirectAllTo`: a nat prerouting rule `tcp dport 1-65535 redirect to :PORT`
 * that makes every TCP port answer like PORT (a wildcard host: SYN proxy, CDN, tarpit).
 */
export function renderRuleset(plan: FirewallPlan, redirectAllTo?: number): string {
  const input: string[] = [];
  const loss = plan.lossPercent ?? 0;
  if (loss < 0 || loss > 100) throw new Error(`netlab: lossPercent ${loss} is not within 0..100`);
  if (loss > 0) input.push(`meta l4proto { tcp, udp } numgen random mod 100 < ${Math.round(loss)} drop`);
  for (const [key, verdict] of RULE_ORDER) {
    const ports = plan[key];
    if (ports && ports.length > 0) input.push(`tcp dport ${portSet(ports)} ${verdict}`);
  }
  const lines = [
    // Declaring the table first makes the delete succeed whether or not it existed (nft(8) idiom).
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
    '  chain input {',
    '    type filter hook input priority filter; policy accept;',
    ...input.map((r) => `    ${r}`),
    '  }',
  ];
  const rst = plan.rstPerSecond;
  if (rst !== undefined) {
    if (!Number.isInteger(rst) || rst < 1) throw new Error(`netlab: rstPerSecond ${rst} is not a positive integer`);
    lines.push('  chain output {', '    type filter hook output priority filter; policy accept;', `    tcp flags & rst == rst limit rate over ${rst}/second drop`, '  }');
  }
  if (redirectAllTo !== undefined) {
    lines.push('  chain prerouting {', '    type nat hook prerouting priority dstnat; policy accept;', `    tcp dport 1-65535 redirect to :${redirectAllTo}`, '  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The rule that catches a port first, if any. */
export function verbFor(plan: FirewallPlan, port: number): FirewallVerb | undefined {
  for (const [key] of RULE_ORDER) if (plan[key]?.includes(port)) return key;
  return undefined;
}

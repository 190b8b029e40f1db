import type { Ruleset } from './types.js';
import { inRanges } from './values.js';

/**
 * firewalld on its nftables backend keeps everything in one table, `inet firewalld` (firewalld 1.x,
 * src/firewall/core/nftables.py TABLE_NAME); it removes the table when it stops (CleanupOnExit=yes), so
 * the table in the live ruleset means firewalld manages this host.
 */
export function firewalldManages(ruleset: Ruleset): boolean {
  return ruleset.chains.some((c) => c.backend === 'nftables' && c.family === 'inet' && c.table === 'firewalld');
}

/**
 * The zones whose allow chain (`filter_IN_<zone>_allow`, where firewalld puts services, ports and
 * accepting rich rules) accepts PORT/PROTO with an explicit destination-port match.
 */
export function firewalldZonesAllowing(ruleset: Ruleset, protocol: 'tcp' | 'udp', port: number): string[] {
  const zones: string[] = [];
  for (const c of ruleset.chains) {
    if (c.backend !== 'nftables' || c.family !== 'inet' || c.table !== 'firewalld') continue;
    const zone = /^filter_IN_(.+)_allow$/.exec(c.name)?.[1];
    if (zone === undefined) continue;
    const allows = c.rules.some((r) => r.action.kind === 'accept' && r.matches.some((m) => m.field === 'dport' && !m.negate && (m.proto === protocol || m.proto === 'th') && m.values.kind === 'num' && inRanges(m.values.ranges, port)));
    if (allows) zones.push(zone);
  }
  return zones;
}

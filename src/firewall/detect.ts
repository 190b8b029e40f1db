import { RulesetError } from './errors.js';
import { parseIptablesSave } from './iptables-save.js';
import { parseNftJson } from './nft-json.js';
import type { Backend, Ruleset } from './types.js';

/**
 * A ruleset file in any format we read, detected from its content: nft JSON (`nft -j list ruleset`) or
 * iptables-save / ip6tables-save output (IPv6 when its header says ip6tables or its addresses are IPv6).
 */
export function parseRulesetText(text: string, source: string): Ruleset {
  const t = text.trimStart();
  if (t === '') throw new RulesetError(`${source}: empty ruleset file`);
  if (t.startsWith('{') || t.startsWith('[')) return parseNftJson(text, source);
  if (/^\*[a-z]+\s*$/m.test(text)) {
    const header = /^#.*$/m.exec(text)?.[0] ?? '';
    const v6 = /ip6tables/.test(header) || /^-A .*\s-[sd] [0-9a-f]*:[0-9a-f:]*[/\s]/im.test(text) || /ipv6-icmp|icmp6/.test(text);
    const backend: Backend = /nf_tables|nft/.test(header) ? 'iptables-nft' : /legacy/.test(header) ? 'iptables-legacy' : 'iptables';
    return parseIptablesSave(text, source, v6 ? 6 : 4, backend);
  }
  if (/^\s*table\s+(ip|ip6|inet|arp|bridge|netdev)\s/m.test(text)) throw new RulesetError(`${source}: nft text format is not read; give JSON (nft -j list ruleset)`);
  throw new RulesetError(`${source}: neither nftables JSON nor iptables-save output`);
}

/** Several rulesets as one (nftables and iptables tables live side by side on the same hooks). */
export function mergeRulesets(parts: readonly Ruleset[]): Ruleset {
  return { chains: parts.flatMap((p) => p.chains), sources: parts.flatMap((p) => p.sources) };
}

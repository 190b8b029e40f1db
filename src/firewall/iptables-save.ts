import { RulesetError } from './errors.js';
import { readIptablesRule } from './iptables-rule.js';
import type { Backend, Chain, Hook, Ruleset } from './types.js';

/** Built-in chains → hook and priority (linux/netfilter_ipv4.h NF_IP_PRI_*; the same for IPv6). */
const BUILTIN: Readonly<Record<string, Readonly<Record<string, [Hook, number]>>>> = {
  raw: { PREROUTING: ['prerouting', -300], OUTPUT: ['output', -300] },
  mangle: { PREROUTING: ['prerouting', -150], INPUT: ['input', -150], FORWARD: ['forward', -150], OUTPUT: ['output', -150], POSTROUTING: ['postrouting', -150] },
  nat: { PREROUTING: ['prerouting', -100], INPUT: ['input', 100], OUTPUT: ['output', -100], POSTROUTING: ['postrouting', 100] },
  filter: { INPUT: ['input', 0], FORWARD: ['forward', 0], OUTPUT: ['output', 0] },
  security: { INPUT: ['input', 50], FORWARD: ['forward', 50], OUTPUT: ['output', 50] },
};

/**
 * `iptables-save` / `ip6tables-save` output (nft or legacy backend) → a Ruleset. `family` 4 reads it as
 * iptables, 6 as ip6tables. Lines are numbered from 1 in `text` so that a rule can be found again.
 */
export function parseIptablesSave(text: string, source: string, family: 4 | 6, backend: Backend): Ruleset {
  const chains: Chain[] = [];
  const byName = new Map<string, Chain>();
  let table: string | null = null;
  const lines = text.split('\n');
  const fam = family === 4 ? 'ip' : 'ip6';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const where = `${source}:${i + 1}`;
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = line.slice(1);
      if (!/^[a-z]+$/.test(table)) throw new RulesetError(`${where}: bad table line "${line.slice(0, 60)}"`);
      byName.clear();
      continue;
    }
    if (table === null) throw new RulesetError(`${where}: "${line.slice(0, 60)}" before any *table line (not iptables-save output?)`);
    if (line === 'COMMIT') {
      table = null;
      continue;
    }
    if (line.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)/.exec(line);
      if (!m) throw new RulesetError(`${where}: bad chain line "${line.slice(0, 60)}"`);
      const name = m[1]!;
      const chain: Chain = { backend, family: fam, table, name, rules: [] };
      const builtin = BUILTIN[table]?.[name];
      if (builtin) {
        chain.hook = builtin[0];
        chain.priority = builtin[1];
        chain.type = table === 'nat' ? 'nat' : 'filter';
        chain.policy = m[2] === 'DROP' ? 'drop' : 'accept';
      }
      chains.push(chain);
      byName.set(name, chain);
      continue;
    }
    if (line.startsWith('-A ') || line.startsWith('--append ')) {
      const rule = readIptablesRule(line, { source: where, line: i + 1, family, backend, table });
      const chain = byName.get(rule.ref.chain);
      if (!chain) throw new RulesetError(`${where}: rule for chain "${rule.ref.chain}", which is not declared in table ${table}`);
      chain.rules.push(rule);
      continue;
    }
    throw new RulesetError(`${where}: unexpected line "${line.slice(0, 60)}" (not iptables-save output?)`);
  }
  if (table !== null) throw new RulesetError(`${source}: table ${table} has no COMMIT line (truncated file?)`);
  return { chains, sources: [source] };
}

import { readIptablesRule } from './iptables-rule.js';
import type { Rule, Ruleset } from './types.js';

/** What ufw knows of one rule: its number in `ufw status numbered` and its comment. */
interface UfwTuple {
  number: number;
  comment?: string;
}

const ruleKey = (r: Rule): string => JSON.stringify([r.ref.chain, r.matches, r.action], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * ufw keeps each user rule in /etc/ufw/user.rules (user6.rules for IPv6) as a `### tuple ###` comment
 * followed by the iptables lines it expands to; `ufw status numbered` numbers the IPv4 file's tuples first,
 * then the IPv6 ones. Rules of the live ruleset that equal a tuple's lines get its number and comment
 * (ufw stores comments hex-encoded: `comment=6f70656e`).
 */
export function annotateUfw(ruleset: Ruleset, files: readonly { text: string; family: 4 | 6 }[]): void {
  const byKey = new Map<string, UfwTuple>();
  let number = 0;
  for (const file of [...files].sort((a, b) => a.family - b.family)) {
    let current: UfwTuple | undefined;
    file.text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line.startsWith('### tuple ###')) {
        number++;
        const hex = /\bcomment=([0-9a-f]+)/i.exec(line)?.[1];
        current = { number, ...(hex ? { comment: Buffer.from(hex, 'hex').toString('utf8') } : {}) };
      } else if (current && line.startsWith('-A ')) {
        try {
          const r = readIptablesRule(line, { source: 'ufw', line: i + 1, family: file.family, backend: 'iptables', table: 'filter' });
          byKey.set(`${file.family}:${ruleKey(r)}`, current);
        } catch {
          // a line we cannot read is simply not annotated
        }
      } else if (line === '' || line.startsWith('###')) current = undefined;
    });
  }
  if (byKey.size === 0) return;
  for (const chain of ruleset.chains) {
    if (!chain.name.startsWith('ufw') || (chain.family !== 'ip' && chain.family !== 'ip6')) continue;
    for (const rule of chain.rules) {
      const t = byKey.get(`${chain.family === 'ip' ? 4 : 6}:${ruleKey(rule)}`);
      if (!t) continue;
      rule.ref.ufwNumber = t.number;
      if (t.comment !== undefined && rule.ref.comment === undefined) rule.ref.comment = t.comment;
    }
  }
}

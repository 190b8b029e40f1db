import { remediationKit } from '../remediation.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local, firewall read: a rule no packet can reach, because an earlier rule of its chain takes them all. */
export const firewallShadowedRule = {
  type: 'firewall-shadowed-rule',
  describe: {
    short: 'Firewall rule that can never match',
    full: 'An earlier rule of the same chain ends evaluation for every packet this rule matches, so it never applies: the intended accept or block is not in force.',
  },
  severity: 'low',
  evaluate({ view }) {
    if (view.kind !== 'local' || !view.firewall) return [];
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of view.firewall.shadowed) {
      const key = `${s.protocol}/${s.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const where = (r: typeof s.rule): string => `${r.table} ${r.chain} ${r.handle !== undefined ? `handle ${r.handle}` : `line ${r.line ?? '?'}`}`;
      out.push({ severity: 'low', protocol: s.protocol, port: s.port, sockets: [], scan: [], located: undefined, title: `never matches: ${where(s.rule)} (${s.rule.text.slice(0, 60)}), pre-empted by ${where(s.by)}` });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    k.steps.push('move the rule before the one that pre-empts it, or delete it if the earlier rule is what is meant');
    return k.out('A firewall rule can never match: reorder or remove it.');
  },
} as const satisfies AuditCheck<'firewall-shadowed-rule'>;

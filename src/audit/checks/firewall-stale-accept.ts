import { remediationKit } from '../remediation.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local, firewall read: an accept rule for a port on which nothing listens. */
export const firewallStaleAccept = {
  type: 'firewall-stale-accept',
  describe: {
    short: 'Firewall accepts a port nothing listens on',
    full: 'A firewall rule accepts connections to a port on which no local socket listens: a stale rule that silently opens the port to whatever starts listening there next.',
  },
  severity: 'low',
  evaluate({ view }) {
    if (view.kind !== 'local' || !view.firewall) return [];
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of view.firewall.stale) {
      for (const protocol of s.protocol === 'any' ? (['tcp', 'udp'] as const) : [s.protocol]) {
        for (const port of s.ports) {
          if (seen.has(`${protocol}/${port}`)) continue;
          seen.add(`${protocol}/${port}`);
          out.push({ severity: 'low', protocol, port, sockets: [], scan: [], located: undefined, title: `${protocol}/${port}: the firewall accepts it (${s.rule.table} ${s.rule.chain}: ${s.rule.text.slice(0, 80)}) but nothing listens` });
        }
      }
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    k.steps.push(`portscope explain -p ${ctx.port}${ctx.protocol === 'udp' ? ' -sU' : ''}   # the accepting rule, with its handle or line`);
    k.steps.push('remove the rule (nft delete rule … handle N / iptables -D … / ufw delete N), or keep it for a service that is meant to come back');
    return k.out(`${ctx.protocol}/${ctx.port} is accepted by the firewall but nothing listens: remove the stale rule.`);
  },
} as const satisfies AuditCheck<'firewall-stale-accept'>;

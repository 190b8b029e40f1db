import { remediationKit } from '../remediation.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local, firewall read, port not scanned: a service bound to all interfaces that only a firewall drop/reject hides. */
export const firewallOnlyProtection = {
  type: 'firewall-only-protection',
  describe: {
    short: 'Service on all interfaces, protected only by the firewall',
    full: 'A socket listens on all interfaces and only a firewall rule keeps other hosts from it: one flushed ruleset, a reordered rule or a container runtime rewriting the tables exposes it. Bind it to the addresses that need it.',
  },
  severity: 'medium',
  evaluate({ view, groups, scanFacts }) {
    if (view.kind !== 'local' || !view.firewall) return [];
    const out: FindingDraft[] = [];
    for (const sockets of groups.values()) {
      const wide = sockets.filter((s) => s.exposure === 'all-interfaces');
      if (wide.length === 0) continue;
      const { protocol, port } = wide[0]!;
      // With an outside scan of the port, listening-but-filtered / open-not-allowed already judge it (and
      // carry the deciding rule as evidence); this check speaks when the firewall is all we know
      // (--no-scan, UDP, ports not scanned).
      if (scanFacts(protocol, port).length > 0) continue;
      const families = [...new Set(wide.flatMap((s) => (s.family === 6 && s.dualStack ? [4, 6] : [s.family])))] as (4 | 6)[];
      const decisions = families.map((f) => view.firewall!.decide(protocol, port, f));
      if (decisions.length === 0 || !decisions.every((d) => d.verdict === 'drop' || d.verdict === 'reject')) continue;
      const rule = decisions[0]!.rule;
      out.push({
        severity: 'medium',
        protocol,
        port,
        sockets: wide,
        scan: [],
        located: undefined,
        title: `${protocol}/${port} listens on all interfaces; only the firewall (${rule ? `${rule.table} ${rule.chain}` : 'a chain policy'}) keeps it from other hosts`,
      });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    k.steps.push('bind the service to 127.0.0.1/::1 or to the one address that needs it, and keep the firewall rule as a second layer');
    return k.out(`${ctx.protocol}/${ctx.port} listens on all interfaces behind the firewall only: bind it narrower.`);
  },
} as const satisfies AuditCheck<'firewall-only-protection'>;

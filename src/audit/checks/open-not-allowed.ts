import type { Severity } from '../evidence-schema.js';
import { remediationKit, who } from '../remediation.js';
import { findRule, socketCovers } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** A socket listens (local) or a port is open (remote) and no rule names its protocol/port. */
export const openNotAllowed = {
  type: 'open-not-allowed',
  describe: { short: 'Open port not in the policy', full: 'A socket listens (or a remote port is open) and no policy rule allows the port.' },
  severity: 'high',
  evaluate({ view, rules, groups, scanFacts, openPorts }) {
    const out: FindingDraft[] = [];
    for (const sockets of groups.values()) {
      const { protocol, port } = sockets[0]!;
      if (findRule(rules, protocol, port)) continue;
      const facts = scanFacts(protocol, port, (a) => sockets.some((s) => socketCovers(s, a)));
      const open = facts.some((f) => f.state === 'open');
      // High if open from outside, medium if bound beyond loopback, low if loopback-only (docs/audit.md).
      const severity: Severity = open ? 'high' : sockets.every((s) => s.exposure === 'loopback') ? 'low' : 'medium';
      out.push({ severity, protocol, port, sockets, scan: facts, located: undefined, title: `${protocol}/${port} is listening but not in the policy` });
    }
    if (view.kind === 'remote') {
      for (const [port, facts] of openPorts) {
        if (!findRule(rules, 'tcp', port)) out.push({ severity: 'high', protocol: 'tcp', port, sockets: [], scan: facts, located: undefined, title: `tcp/${port} is open but not in the policy` });
      }
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    const { protocol, port } = ctx;
    if (k.stop) k.steps.push(`stop it if it is not needed: ${k.stop}`);
    k.steps.push(`or allow it in the policy: ports: - { port: ${port}, protocol: ${protocol}, to: ... }`);
    if (k.rebind) k.steps.push(`or keep it local: ${k.rebind.directive} in ${k.rebind.file}`);
    k.steps.push(`or block it: ${k.fw.nftables}`);
    return k.out(`${protocol}/${port} is not in the policy: stop ${who(ctx.processes)}, or add a rule if it belongs here.`, { firewall: k.fw, ...(k.rebind ? { config: k.rebind } : {}) });
  },
} as const satisfies AuditCheck<'open-not-allowed'>;

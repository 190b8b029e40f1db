import { remediationKit } from '../remediation.js';
import { reachAllowed, scopes } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';

/**
 * A rule with `required: true` has no listening socket (local; with `listener: false`: no open answer
 * either) or no open answer at an address the rule lets us reach (remote).
 */
export const allowedButClosed = {
  type: 'allowed-but-closed',
  describe: { short: 'Allowed port is closed', full: 'A policy rule expects a service on this port (required: true) but nothing listens or answers: the service may be down.' },
  severity: 'medium',
  evaluate({ view, rules, groups, scanFacts }) {
    const out: FindingDraft[] = [];
    for (const located of rules) {
      const { rule } = located;
      if (!rule.required) continue;
      // Remote: only addresses the rule lets us reach count (a loopback-only rule cannot be seen from outside).
      const facts = scanFacts(rule.protocol, rule.port, (a) => view.kind === 'local' || reachAllowed(a, scopes(rule)));
      const up = view.kind === 'local' ? groups.has(`${rule.protocol}/${rule.port}`) || (rule.listener === false && facts.some((f) => f.state === 'open')) : facts.some((f) => f.state === 'open') || facts.length === 0;
      if (!up) out.push({ severity: 'medium', protocol: rule.protocol, port: rule.port, sockets: [], scan: facts, located, title: `${rule.protocol}/${rule.port} is allowed and expected, but nothing listens` });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    k.steps.push(`start the service that should listen on ${ctx.protocol}/${ctx.port} (systemctl status / journalctl -u UNIT)`);
    k.steps.push('or mark the rule `required: false` if the port may be closed');
    return k.out(`nothing answers on ${ctx.protocol}/${ctx.port} although the policy expects a service there.`);
  },
} as const satisfies AuditCheck<'allowed-but-closed'>;

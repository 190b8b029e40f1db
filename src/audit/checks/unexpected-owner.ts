import { remediationKit, who } from '../remediation.js';
import { findRule, ownerMatches, socketCovers } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local: the rule names `process` and/or `user`, the owners are readable, and none matches. */
export const unexpectedOwner = {
  type: 'unexpected-owner',
  describe: { short: 'Listener owned by an unexpected process or user', full: 'The rule names the process or user that may own the port, and the listening process is another.' },
  severity: 'high',
  evaluate({ rules, groups, scanFacts }) {
    const out: FindingDraft[] = [];
    for (const sockets of groups.values()) {
      const { protocol, port } = sockets[0]!;
      const located = findRule(rules, protocol, port);
      if (!located || (located.rule.process === undefined && located.rule.user === undefined)) continue;
      const procs = sockets.flatMap((s) => s.processes);
      if (procs.length === 0 || procs.some((p) => ownerMatches(p, located.rule))) continue;
      const facts = scanFacts(protocol, port, (a) => sockets.some((s) => socketCovers(s, a)));
      const owners = [...new Set(procs.map((p) => `${p.name} (${p.user || '?'})`))].join(', ');
      out.push({ severity: 'high', protocol, port, sockets, scan: facts, located, title: `${protocol}/${port} is owned by ${owners}, not as the policy says` });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    const pid = ctx.processes[0]?.pid ?? 'PID';
    k.steps.push(`check who runs it: ls -l /proc/${pid}/exe; cat /proc/${pid}/cmdline | tr '\\0' ' '`);
    if (k.stop) k.steps.push(`stop it if it is not the expected service: ${k.stop}`);
    return k.out(`${ctx.protocol}/${ctx.port} is held by ${who(ctx.processes)}, not by what the policy names.`);
  },
} as const satisfies AuditCheck<'unexpected-owner'>;

import { remediationKit, who } from '../remediation.js';
import { findRule, socketCovers } from '../scope.js';
import type { AuditCheck, FindingDraft } from './types.js';

/** Local, independent of the policy: a process holding the socket runs an executable deleted from disk. */
export const deletedExecutable = {
  type: 'deleted-executable',
  describe: {
    short: 'Listener runs a deleted executable',
    full: 'A process holding the socket runs an executable that was deleted from disk (/proc/PID/exe ends in " (deleted)"): an upgrade not yet restarted, or a program that hid itself.',
  },
  severity: 'high',
  evaluate({ view, rules, groups, scanFacts }) {
    const out: FindingDraft[] = [];
    for (const sockets of groups.values()) {
      const { protocol, port } = sockets[0]!;
      const deleted = sockets.filter((s) => s.processes.some((p) => view.extras.get(p.pid)?.exeDeleted));
      if (deleted.length === 0) continue;
      const facts = scanFacts(protocol, port, (a) => sockets.some((s) => socketCovers(s, a)));
      out.push({ severity: 'high', protocol, port, sockets: deleted, scan: facts, located: findRule(rules, protocol, port), title: `${protocol}/${port} is held by a process whose executable was deleted` });
    }
    return out;
  },
  remediate(ctx) {
    const k = remediationKit(ctx);
    const p = ctx.processes.find((q) => q.exeDeleted) ?? ctx.processes[0];
    k.steps.push(`keep a copy for inspection: cp /proc/${p?.pid ?? 'PID'}/exe /root/deleted-exe.${p?.pid ?? 'PID'}`);
    k.steps.push(k.unit ? `if it was an upgrade, restart it: ${k.unit.ctl} restart ${k.unit.unit}` : `if it was an upgrade, restart the program; if nobody knows it, stop it: kill ${p?.pid ?? 'PID'}`);
    return k.out(`${who(ctx.processes)} runs an executable that no longer exists on disk (${p?.exe ?? '?'}): an upgraded binary not yet restarted, or a program that hid itself.`);
  },
} as const satisfies AuditCheck<'deleted-executable'>;

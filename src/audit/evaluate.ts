import type { ListeningSocket } from '../model/index.js';
import { CHECKS, type FindingDraft, type FindingType } from './checks/index.js';
import type { ProcessFacts, ScanFact } from './evidence-schema.js';
import type { HostView } from './host-view.js';
import type { PolicyLines } from './policy-schema.js';
import type { Finding } from './report-schema.js';
import { rulesFor, scopes, socketCovers, type LocatedRule } from './scope.js';

export type { HostView, OutsideResult } from './host-view.js';

/** Something a policy can be evaluated from: its rules (ignore rules are applied afterwards, ignore.ts). */
type PolicyRulesLike = Parameters<typeof rulesFor>[0];

/**
 * Findings of one host against the policy: every check of the table (checks/index.ts) over facts derived
 * once. A pure function of its arguments; docs/audit.md ("Finding types") states when each type is produced.
 */
export function evaluateHost(policy: PolicyRulesLike, lines: PolicyLines, view: HostView): Finding[] {
  const rules = rulesFor(policy, { kind: view.kind, address: view.host, names: view.names });
  const scanFacts = (protocol: 'tcp' | 'udp', port: number, filter: (address: string) => boolean = () => true): ScanFact[] => {
    if (protocol !== 'tcp') return [];
    const out: ScanFact[] = [];
    for (const o of view.outside) {
      const r = o.ports.find((p) => p.port === port && p.protocol === 'tcp');
      if (r && filter(o.address)) out.push({ address: o.address, state: r.state, reason: r.reason });
    }
    return out;
  };
  const groups = new Map<string, ListeningSocket[]>();
  for (const s of view.inside ?? []) {
    const k = `${s.protocol}/${s.port}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  // The outside view's open ports: those no local socket covers (local), or every one (remote).
  const openPorts = new Map<number, ScanFact[]>();
  for (const o of view.outside) {
    for (const r of o.ports) {
      if (r.state !== 'open') continue;
      if (view.kind === 'local' && (groups.get(`tcp/${r.port}`) ?? []).some((s) => socketCovers(s, o.address))) continue;
      openPorts.set(r.port, [...(openPorts.get(r.port) ?? []), { address: o.address, state: r.state, reason: r.reason }]);
    }
  }
  const input = { view, rules, groups, scanFacts, openPorts };
  return CHECKS.flatMap((check) => check.evaluate(input).map((d) => makeFinding(check, d, view, lines)));
}

function makeFinding(check: (typeof CHECKS)[number], d: FindingDraft, view: HostView, lines: PolicyLines): Finding {
  const type: FindingType = check.type;
  const seen = new Set<number>();
  const processes: ProcessFacts[] = [];
  for (const p of d.sockets.flatMap((s) => s.processes)) {
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    const extra = view.extras.get(p.pid) ?? {};
    processes.push({ pid: p.pid, name: p.name, command: p.command, user: p.user, ...extra });
  }
  const located: LocatedRule | undefined = d.located;
  const allowed = located ? scopes(located.rule) : [];
  const line = located ? lines.get(located.path) : undefined;
  const { protocol, port } = d;
  return {
    id: `${type}:${view.host}:${protocol}/${port}`,
    type,
    severity: d.severity,
    title: view.kind === 'local' ? d.title : `${view.host}: ${d.title}`,
    host: view.host,
    protocol,
    port,
    evidence: {
      sockets: d.sockets.map((s) => ({ protocol: s.protocol, address: s.address, port: s.port, exposure: s.exposure, ...(s.dualStack === undefined ? {} : { dualStack: s.dualStack }), ...(s.interface ? { interface: s.interface } : {}) })),
      processes,
      scan: d.scan,
      ...(located ? { rule: { path: located.path, ...(line === undefined ? {} : { line }), to: allowed } } : {}),
      ...(type === 'listening-but-filtered' ? { firewalls: view.firewalls } : {}),
      ...(view.firewall && port > 0 ? { firewall: view.firewall.decide(protocol, port, 4) } : {}),
    },
    remediation: check.remediate({ type, protocol, port, processes, allowed, firewalls: view.firewalls, local: view.kind === 'local' }),
  };
}

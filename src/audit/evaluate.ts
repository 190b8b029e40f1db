import type { ListeningSocket, PortResult, ProcessExtra } from '../model/index.js';
import type { FindingType, Policy, PolicyLines } from './policy-schema.js';
import { remediate } from './remediation.js';
import type { Finding, ProcessFacts, ScanFact, Severity } from './report-schema.js';
import { bindAllowed, findRule, ownerMatches, reachAllowed, rulesFor, scopes, socketCovers, type LocatedRule } from './scope.js';

/** The outside view of one address: TCP connect results for the ports scanned there. */
export interface OutsideResult {
  address: string;
  ports: PortResult[];
}

/** Everything known about one audited host. Local hosts have an inside view; remote ones only scans. */
export interface HostView {
  /** `local`, or the remote host's address. */
  host: string;
  kind: 'local' | 'remote';
  /** Names the host is known by (the target spec, PTR names), for `hosts[].match`. */
  names: string[];
  inside: ListeningSocket[] | null;
  extras: ReadonlyMap<number, ProcessExtra>;
  outside: OutsideResult[];
  firewalls: string[];
}

type Key = `${'tcp' | 'udp'}/${number}`;

/**
 * Findings of one host against the policy: a pure function of its arguments (docs/audit.md, "Finding
 * types", states exactly when each type is produced). Ignore rules are applied afterwards (ignore.ts).
 */
export function evaluateHost(policy: Policy, lines: PolicyLines, view: HostView): Finding[] {
  const rules = rulesFor(policy, { kind: view.kind, address: view.host, names: view.names });
  const findings: Finding[] = [];
  const ctx = new FindingFactory(view, lines);
  const scanFacts = (protocol: 'tcp' | 'udp', port: number, filter: (address: string) => boolean = () => true): ScanFact[] => {
    if (protocol !== 'tcp') return [];
    const out: ScanFact[] = [];
    for (const o of view.outside) {
      const r = o.ports.find((p) => p.port === port && p.protocol === 'tcp');
      if (r && filter(o.address)) out.push({ address: o.address, state: r.state, reason: r.reason });
    }
    return out;
  };

  // Sockets of the inside view, grouped per protocol/port: v4 and v6 sockets of one service are one finding.
  const groups = new Map<Key, ListeningSocket[]>();
  for (const s of view.inside ?? []) {
    const k: Key = `${s.protocol}/${s.port}`;
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const sockets of groups.values()) {
    const { protocol, port } = sockets[0]!;
    const facts = scanFacts(protocol, port, (a) => sockets.some((s) => socketCovers(s, a)));
    const open = facts.some((f) => f.state === 'open');
    const located = findRule(rules, protocol, port);
    if (!located) {
      const sev: Severity = open ? 'high' : sockets.every((s) => s.exposure === 'loopback') ? 'low' : 'medium';
      findings.push(ctx.make('open-not-allowed', sev, protocol, port, sockets, facts, undefined, `${protocol}/${port} is listening but not in the policy`));
    } else {
      const to = scopes(located.rule);
      const wide = sockets.filter((s) => !bindAllowed(s, to));
      if (wide.length > 0) {
        const wideFacts = facts.filter((f) => wide.some((s) => socketCovers(s, f.address)));
        const hidden = wideFacts.length > 0 && wideFacts.every((f) => f.state === 'filtered');
        if (hidden) findings.push(ctx.make('listening-but-filtered', 'medium', protocol, port, wide, wideFacts, located, `${protocol}/${port} listens wider than allowed (${to.join(', ')}) and only a firewall hides it`));
        else findings.push(ctx.make('exposure-wider-than-allowed', 'high', protocol, port, wide, wideFacts, located, `${protocol}/${port} is exposed wider than allowed (${to.join(', ')})`));
      }
      if (located.rule.process !== undefined || located.rule.user !== undefined) {
        const procs = sockets.flatMap((s) => s.processes);
        if (procs.length > 0 && !procs.some((p) => ownerMatches(p, located.rule))) {
          findings.push(ctx.make('unexpected-owner', 'high', protocol, port, sockets, facts, located, `${protocol}/${port} is owned by ${[...new Set(procs.map((p) => `${p.name} (${p.user || '?'})`))].join(', ')}, not as the policy says`));
        }
      }
    }
    const deleted = sockets.filter((s) => s.processes.some((p) => view.extras.get(p.pid)?.exeDeleted));
    if (deleted.length > 0) {
      findings.push(ctx.make('deleted-executable', 'high', protocol, port, deleted, facts, located, `${protocol}/${port} is held by a process whose executable was deleted`));
    }
  }

  // The outside view: open ports with no listener (local), or every open port (remote).
  const openPorts = new Map<number, ScanFact[]>();
  for (const o of view.outside) {
    for (const r of o.ports) {
      if (r.state !== 'open') continue;
      if (view.kind === 'local' && (groups.get(`tcp/${r.port}`) ?? []).some((s) => socketCovers(s, o.address))) continue;
      openPorts.set(r.port, [...(openPorts.get(r.port) ?? []), { address: o.address, state: r.state, reason: r.reason }]);
    }
  }
  for (const [port, facts] of openPorts) {
    const located = findRule(rules, 'tcp', port);
    if (view.kind === 'local') {
      if (located?.rule.listener === false) continue;
      findings.push(ctx.make('reachable-without-listener', located ? 'medium' : 'high', 'tcp', port, [], facts, located, `tcp/${port} answers from outside but no local socket listens`));
    } else if (!located) {
      findings.push(ctx.make('open-not-allowed', 'high', 'tcp', port, [], facts, undefined, `tcp/${port} is open but not in the policy`));
    } else {
      const to = scopes(located.rule);
      const wide = facts.filter((f) => !reachAllowed(f.address, to));
      if (wide.length > 0) findings.push(ctx.make('exposure-wider-than-allowed', 'high', 'tcp', port, [], wide, located, `tcp/${port} is reachable wider than allowed (${to.join(', ')})`));
    }
  }

  // Rules whose port is down: no socket (local; or no answer when the rule expects none), nothing open (remote).
  for (const located of rules) {
    const { rule } = located;
    if (!rule.required) continue;
    // Remote: only addresses the rule lets us reach count (a loopback-only rule cannot be seen from outside).
    const facts = scanFacts(rule.protocol, rule.port, (a) => view.kind === 'local' || reachAllowed(a, scopes(rule)));
    const up =
      view.kind === 'local'
        ? groups.has(`${rule.protocol}/${rule.port}`) || (rule.listener === false && facts.some((f) => f.state === 'open'))
        : facts.some((f) => f.state === 'open') || facts.length === 0;
    if (!up) findings.push(ctx.make('allowed-but-closed', 'medium', rule.protocol, rule.port, [], facts, located, `${rule.protocol}/${rule.port} is allowed and expected, but nothing listens`));
  }
  return findings;
}

class FindingFactory {
  constructor(
    readonly view: HostView,
    readonly lines: PolicyLines,
  ) {}

  make(type: FindingType, severity: Severity, protocol: 'tcp' | 'udp', port: number, sockets: ListeningSocket[], scan: ScanFact[], located: LocatedRule | undefined, title: string): Finding {
    const seen = new Set<number>();
    const processes: ProcessFacts[] = [];
    for (const p of sockets.flatMap((s) => s.processes)) {
      if (seen.has(p.pid)) continue;
      seen.add(p.pid);
      const extra = this.view.extras.get(p.pid) ?? {};
      processes.push({ pid: p.pid, name: p.name, command: p.command, user: p.user, ...extra });
    }
    const allowed = located ? scopes(located.rule) : [];
    const line = located ? this.lines.get(located.path) : undefined;
    return {
      id: `${type}:${this.view.host}:${protocol}/${port}`,
      type,
      severity,
      title: this.view.kind === 'local' ? title : `${this.view.host}: ${title}`,
      host: this.view.host,
      protocol,
      port,
      evidence: {
        sockets: sockets.map((s) => ({ protocol: s.protocol, address: s.address, port: s.port, exposure: s.exposure, ...(s.dualStack === undefined ? {} : { dualStack: s.dualStack }), ...(s.interface ? { interface: s.interface } : {}) })),
        processes,
        scan,
        ...(located ? { rule: { path: located.path, ...(line === undefined ? {} : { line }), to: allowed } } : {}),
        ...(type === 'listening-but-filtered' ? { firewalls: this.view.firewalls } : {}),
      },
      remediation: remediate({ type, protocol, port, processes, allowed, firewalls: this.view.firewalls, local: this.view.kind === 'local' }),
    };
  }
}

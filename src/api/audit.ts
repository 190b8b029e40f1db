import { networkInterfaces } from 'node:os';
import { hostFirewallFacts } from './firewall-facts.js';
import { applyIgnores } from '../audit/ignore.js';
import { evaluateHost, type HostView, type OutsideResult } from '../audit/evaluate.js';
import type { LoadedPolicy } from '../audit/policy-load.js';
import { SEVERITIES, severityRank, type AuditReport, type Severity } from '../audit/report-schema.js';
import { rulesFor } from '../audit/scope.js';
import type { TimingOptions } from '../engine/timing.js';
import type { HostReport } from '../model/index.js';
import { formatPortRanges, parsePortSpec, topPorts } from '../ports/index.js';
import { VERSION } from '../version.js';
import { listening } from './listening.js';
import { detectFirewalls, readProcessExtras } from '../local/index.js';
import { scan } from './scan.js';

export { loadPolicyFile, parsePolicy, PolicyError, type LoadedPolicy } from '../audit/policy-load.js';
export type { AuditReport, Finding, Severity } from '../audit/report-schema.js';

export interface AuditOptions extends TimingOptions {
  /** The policy; null audits against an empty policy (everything open is a finding). */
  policy: LoadedPolicy | null;
  /** Remote targets, audited by scan alone. */
  targets?: string[];
  /** Audit this machine (inside + outside view). Default: true when no targets are given. */
  local?: boolean;
  /** Extra ports for the outside scans (nmap -p syntax); default: the 1000 most common TCP ports. */
  ports?: string;
  topPorts?: number;
  /** No outside scan of this machine: the inside view alone. */
  noScan?: boolean;
  failOn?: Severity;
  now?: Date;
  signal?: AbortSignal;
}

export interface AuditResult {
  report: AuditReport;
  /** The views the findings came from (what `--init` turns into a starter policy). */
  views: HostView[];
}

const EMPTY_POLICY: LoadedPolicy = { policy: { version: 1, ports: [], hosts: [], ignore: [] }, path: '', lines: new Map(), sha256: '' };

/**
 * Audit this machine and/or remote hosts against a policy (docs/audit.md). The local inside view is
 * `listening()`; its outside view is `scan()` of the machine's own non-loopback addresses, run from this
 * machine (the report's `limits` say what that cannot see).
 */
export async function audit(options: AuditOptions): Promise<AuditResult> {
  const loaded = options.policy ?? EMPTY_POLICY;
  const now = options.now ?? new Date();
  const limits: string[] = [];
  const views: HostView[] = [];
  const hosts: AuditReport['hosts'] = [];
  const extra = options.ports !== undefined ? parsePortSpec(options.ports, ['tcp']).tcp : topPorts(options.topPorts ?? 1000, 'tcp');
  if (options.local ?? (options.targets ?? []).length === 0) {
    const view = await localView(loaded, extra, options, await detectFirewalls(), limits);
    views.push(view);
    const addresses = view.outside.map((o) => o.address);
    hosts.push({ host: 'local', kind: 'local', inside: true, outside: { addresses, ports: view.outside[0]?.ports.length ?? 0, from: addresses.length ? 'this-machine' : 'none' } });
  }
  if ((options.targets ?? []).length > 0) {
    const rulePorts = [...loaded.policy.ports, ...loaded.policy.hosts.flatMap((h) => h.ports)].filter((r) => r.protocol === 'tcp').map((r) => r.port);
    for (const h of await scanHosts(options.targets!, [...extra, ...rulePorts], options)) {
      views.push({ host: h.address, kind: 'remote', names: [h.spec, ...h.hostnames.map((n) => n.name)], inside: null, extras: new Map(), outside: [{ address: h.address, ports: h.ports }], firewalls: [] });
      hosts.push({ host: h.address, kind: 'remote', inside: false, outside: { addresses: [h.address], ports: h.ports.length, from: 'scanner' } });
    }
    limits.push('Remote hosts are audited by a TCP connect scan alone: listeners hidden by a firewall, owners and UDP are not visible.');
  }
  const raw = views.flatMap((v) => evaluateHost(loaded.policy, loaded.lines, v));
  const { findings, ignored, expiredIgnores } = applyIgnores(raw, loaded.policy, loaded.lines, now);
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.host.localeCompare(b.host) || a.port - b.port || a.type.localeCompare(b.type));
  const failOn = options.failOn ?? 'low';
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const report: AuditReport = {
    tool: 'portscope',
    version: VERSION,
    generatedAt: now.toISOString(),
    policy: { path: options.policy ? options.policy.path : null },
    hosts,
    findings,
    ignored,
    expiredIgnores,
    limits,
    summary: { total: findings.length, bySeverity, failOn, failed: findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) },
  };
  return { report, views };
}

async function localView(loaded: LoadedPolicy, extra: number[], options: AuditOptions, firewalls: string[], limits: string[]): Promise<HostView> {
  const inside = await listening();
  const extras = await readProcessExtras(inside.flatMap((s) => s.processes.map((p) => p.pid)));
  if (inside.some((s) => !s.ownerKnown)) limits.push('Some sockets have no readable owner (run as root): owner and deleted-executable checks skip them.');
  limits.push('UDP sockets are audited from the inside view only (the outside scan is TCP connect).');
  let outside: OutsideResult[] = [];
  if (options.noScan) {
    limits.push('No outside scan (--no-scan): exposure is judged from socket bindings alone.');
  } else {
    const addresses = ownAddresses();
    if (addresses.length === 0) {
      limits.push('This machine has no non-loopback address: there is no outside view.');
    } else {
      const rulePorts = rulesFor(loaded.policy, { kind: 'local', address: 'local', names: [] })
        .filter((r) => r.rule.protocol === 'tcp')
        .map((r) => r.rule.port);
      const ports = [...extra, ...rulePorts, ...inside.filter((s) => s.protocol === 'tcp').map((s) => s.port)];
      outside = (await scanHosts(addresses, ports, options)).map((h) => ({ address: h.address, ports: h.ports }));
      limits.push(
        `The outside view was scanned from this machine to its own addresses (${addresses.join(', ')}): such traffic enters through the loopback interface, so firewall rules that match an input interface or accept "lo" treat it differently from another host's probes. Run "portscope audit ${addresses[0]}" from another host to confirm.`,
      );
    }
  }
  const view: HostView = { host: 'local', kind: 'local', names: [], inside, extras, outside, firewalls };
  // The firewall's own rules (root): evidence on findings and the firewall-* checks (docs/firewall.md).
  const fw = await hostFirewallFacts(inside);
  if (typeof fw === 'string') limits.push(`The firewall rules could not be read (${fw}): the firewall-* checks did not run.`);
  else view.firewall = fw;
  return view;
}

/** Non-loopback addresses of this machine; IPv6 link-local ones are left out (they need a scope to scan). */
function ownAddresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address))) continue;
      out.add(a.address);
    }
  }
  return [...out];
}

async function scanHosts(targets: string[], ports: number[], options: AuditOptions): Promise<HostReport[]> {
  const unique = [...new Set(ports.filter((p) => p >= 1 && p <= 65535))].sort((a, b) => a - b);
  if (unique.length === 0) return [];
  const { policy: _p, targets: _t, local: _l, ports: _ports, topPorts: _tp, noScan: _n, failOn: _f, now: _now, signal, ...timing } = options;
  const run = scan({ ...timing, targets, ports: formatPortRanges(unique), skipDiscovery: true, noReverseDns: true, ...(signal ? { signal } : {}) });
  const hosts: HostReport[] = [];
  for await (const ev of run) if (ev.kind === 'host') hosts.push(ev.host);
  return hosts;
}

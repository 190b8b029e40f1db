/**
 * Results of several scans of disjoint parts of one space (shards, a resumed scan's two halves) as one:
 * one host per address (nmap XML keeps one `<host>` per host), each (protocol, port) once.
 */
import type { HostReport, PortResult, ScanInfo, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';

export interface ScanResults {
  start: ScanStart;
  hosts: HostReport[];
  summary: ScanSummary;
}

/** Rank of a port verdict when two parts disagree: the one that heard an answer wins. */
const STATE_RANK: Record<string, number> = { open: 5, closed: 4, unfiltered: 3, 'closed|filtered': 2, 'open|filtered': 1, filtered: 0 };

/** One report per address; ports unioned; up wins over down (any part that saw the host alive proves it). */
export function mergeHostReports(reports: readonly HostReport[]): HostReport {
  const first = reports[0]!;
  const up = reports.find((r) => r.status === 'up');
  const ports = new Map<string, PortResult>();
  for (const r of reports) {
    for (const p of r.ports) {
      const key = `${p.protocol}/${p.port}`;
      const had = ports.get(key);
      if (!had || (STATE_RANK[p.state] ?? 0) > (STATE_RANK[had.state] ?? 0)) ports.set(key, p);
    }
  }
  const names = new Map<string, HostReport['hostnames'][number]>();
  for (const r of reports) for (const h of r.hostnames) names.set(`${h.type}/${h.name}`, h);
  const merged: HostReport = {
    ...first,
    ...(up ? { status: up.status, statusReason: up.statusReason } : {}),
    hostnames: [...names.values()],
    startTime: Math.min(...reports.map((r) => r.startTime)),
    endTime: Math.max(...reports.map((r) => r.endTime)),
    ports: [...ports.values()].sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1)),
    complete: reports.every((r) => r.complete),
    timedOut: reports.some((r) => r.timedOut),
    stats: {
      ...first.stats,
      probesSent: reports.reduce((n, r) => n + r.stats.probesSent, 0),
      lateAnswers: reports.reduce((n, r) => n + r.stats.lateAnswers, 0),
      retryCapHit: reports.reduce((n, r) => n + r.stats.retryCapHit, 0),
      retriesUsed: Math.max(...reports.map((r) => r.stats.retriesUsed)),
    },
  };
  if (up && up.srttUs !== undefined) merged.srttUs = up.srttUs;
  return merged;
}

/** Merge whole scans: hosts by address (in first-seen order), scan info and summaries combined. */
export function mergeScanResults(parts: readonly ScanResults[]): ScanResults {
  if (parts.length === 0) throw new RangeError('nothing to merge');
  const byAddress = new Map<string, HostReport[]>();
  for (const part of parts) {
    for (const h of part.hosts) {
      const list = byAddress.get(h.address);
      if (list) list.push(h);
      else byAddress.set(h.address, [h]);
    }
  }
  const hosts = [...byAddress.values()].map(mergeHostReports);
  const startTime = Math.min(...parts.map((p) => p.summary.startTime));
  const endTime = Math.max(...parts.map((p) => p.summary.endTime));
  const problems = new Map<string, TargetProblem>();
  for (const p of parts) for (const t of p.summary.targetProblems) problems.set(`${t.spec}\n${t.message}`, t);
  const summary: ScanSummary = {
    startTime,
    endTime,
    elapsedMs: endTime - startTime,
    hostsTotal: hosts.length,
    hostsUp: hosts.filter((h) => h.status === 'up').length,
    hostsDown: hosts.filter((h) => h.status !== 'up').length,
    probesSent: parts.reduce((n, p) => n + p.summary.probesSent, 0),
    interrupted: parts.some((p) => p.summary.interrupted),
    targetProblems: [...problems.values()],
  };
  const error = parts.find((p) => p.summary.error)?.summary.error;
  if (error !== undefined) summary.error = error;
  const start: ScanStart = { ...parts[0]!.start, startTime, scanInfo: mergeScanInfo(parts.map((p) => p.start.scanInfo)) };
  return { start, hosts, summary };
}

function mergeScanInfo(lists: readonly ScanInfo[][]): ScanInfo[] {
  const out = new Map<string, ScanInfo>();
  for (const list of lists) {
    for (const info of list) {
      const had = out.get(info.protocol);
      if (!had || info.numServices > had.numServices) out.set(info.protocol, info);
    }
  }
  return [...out.values()];
}

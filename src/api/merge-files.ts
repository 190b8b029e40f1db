/**
 * `portscope merge`: scan files (nmap/portscope XML, portscope JSON) of parts of one scan — shards, a
 * resumed scan's runs — read back into results and merged, for any output format to write again.
 */
import type { HostReport, PortResult, PortReason, ScanInfo, ScanRecord, ServiceInfo } from '../model/index.js';
import { formatPortRanges } from '../ports/index.js';
import { VERSION } from '../version.js';
import { readScanFile } from './diff.js';
import { mergeScanResults, type ScanResults } from './merge-results.js';

export function mergeScanFiles(files: readonly string[], commandLine = 'portscope merge'): ScanResults {
  const parts = files.map((f) => recordToResults(readScanFile(f)));
  const merged = mergeScanResults(parts);
  merged.start = { ...merged.start, args: commandLine, scanInfo: scanInfoOf(merged.hosts) };
  return merged;
}

function recordToResults(rec: ScanRecord): ScanResults {
  const hosts: HostReport[] = rec.hosts.map((h) => ({
    address: h.address,
    family: h.family,
    hostnames: h.hostname !== undefined ? [{ name: h.hostname, type: 'user' as const }] : [],
    spec: h.address,
    status: h.status === 'up' ? 'up' : h.status === 'skipped' ? 'skipped' : 'down',
    statusReason: h.statusReason,
    startTime: rec.startedAt,
    endTime: rec.endedAt,
    ports: h.ports.map((p) => {
      const r: PortResult = { protocol: p.protocol, port: p.port, state: p.state, reason: p.reason as PortReason, tries: 1 };
      if (p.service) {
        const s: ServiceInfo = { name: p.service.name, method: p.service.method === 'probed' ? 'probed' : 'table', conf: p.service.conf ?? 3 };
        if (p.service.product !== undefined) s.product = p.service.product;
        if (p.service.version !== undefined) s.version = p.service.version;
        if (p.service.extrainfo !== undefined) s.extrainfo = p.service.extrainfo;
        r.service = s;
      }
      return r;
    }),
    complete: !rec.interrupted,
    timedOut: false,
    stats: { probesSent: 0, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 0 },
  }));
  const up = hosts.filter((h) => h.status === 'up').length;
  return {
    start: { scanner: 'portscope', version: VERSION, args: rec.args, startTime: rec.startedAt, scanInfo: [], verbose: 0 },
    hosts,
    summary: {
      startTime: rec.startedAt,
      endTime: rec.endedAt,
      elapsedMs: rec.endedAt - rec.startedAt,
      hostsTotal: hosts.length,
      hostsUp: up,
      hostsDown: hosts.length - up,
      probesSent: 0,
      interrupted: rec.interrupted,
      targetProblems: [],
    },
  };
}

/** The ports every host was scanned on, per protocol, as the union the parts reported. */
function scanInfoOf(hosts: readonly HostReport[]): ScanInfo[] {
  const out: ScanInfo[] = [];
  for (const protocol of ['tcp', 'udp'] as const) {
    const ports = new Set<number>();
    for (const h of hosts) for (const p of h.ports) if (p.protocol === protocol) ports.add(p.port);
    if (ports.size === 0) continue;
    const sorted = [...ports].sort((a, b) => a - b);
    out.push({ type: protocol === 'tcp' ? 'connect' : 'udp', protocol, numServices: sorted.length, services: formatPortRanges(sorted) });
  }
  return out;
}

/** A finished portscope scan (start, host reports, summary) as a history record. */
import type { HostReport, PortResult, ScanStart, ScanSummary } from '../model/index.js';
import type { HostRecord, PortRecord, ScanRecord, ScanSource } from './types.js';

/** One settled port as the history stores it (also used for an audit's outside scan, api/audit-save.ts). */
export function portRecordFromResult(p: PortResult): PortRecord {
  const r: PortRecord = { protocol: p.protocol, port: p.port, state: p.state, reason: p.reason };
  if (p.service) {
    const s = p.service;
    r.service = { name: s.name, method: s.method, conf: s.conf };
    if (s.product !== undefined) r.service.product = s.product;
    if (s.version !== undefined) r.service.version = s.version;
    if (s.extrainfo !== undefined) r.service.extrainfo = s.extrainfo;
  }
  return r;
}

export function hostRecordFromReport(h: HostReport): HostRecord {
  const rec: HostRecord = {
    address: h.address,
    family: h.family,
    status: h.status,
    statusReason: h.statusReason,
    ports: h.ports.map(portRecordFromResult),
  };
  const name = h.hostnames[0]?.name;
  if (name !== undefined) rec.hostname = name;
  return rec;
}

export function scanRecordFromRun(start: ScanStart, hosts: HostReport[], summary: ScanSummary | undefined, source: ScanSource): ScanRecord {
  return {
    startedAt: start.startTime,
    endedAt: summary?.endTime ?? Date.now(),
    scanner: 'portscope',
    version: start.version,
    args: start.args,
    source,
    interrupted: summary?.interrupted ?? true,
    hosts: hosts.map(hostRecordFromReport),
  };
}

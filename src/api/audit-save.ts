/**
 * `audit --save`: an audit result as a history record (docs/history.md, "Audits"). The outside scan the
 * audit made is stored as a normal scan linked to the audit, so `history HOST` and `diff` see it too.
 */
import { HistoryStore, portRecordFromResult, type AuditRecord, type HostRecord, type ScanRecord } from '../store/index.js';
import type { AuditResult } from './audit.js';

export interface AuditSaveMeta {
  /** The command line, as history lists it. */
  args: string;
  /** sha256 of the policy file's bytes (hex), null without a policy. */
  policyHash: string | null;
  /** When the audit finished (default: now). */
  endedAt?: number;
}

export async function saveAuditRun(result: AuditResult, meta: AuditSaveMeta, opts: { db?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ id: number; scanId?: number; db: string }> {
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    const saved = await store.saveAudit(auditRecordFromResult(result, meta));
    return { ...saved, db: store.location.display };
  } finally {
    await store.close();
  }
}

export function auditRecordFromResult(result: AuditResult, meta: AuditSaveMeta): AuditRecord {
  const r = result.report;
  const startedAt = Date.parse(r.generatedAt);
  const endedAt = meta.endedAt ?? Date.now();
  const sev: Partial<Record<string, number>> = r.summary.bySeverity;
  const rec: AuditRecord = {
    startedAt,
    endedAt,
    version: r.version,
    args: meta.args,
    policyPath: r.policy.path,
    policyHash: meta.policyHash,
    targets: r.hosts.map((h) => h.host),
    failOn: r.summary.failOn,
    failed: r.summary.failed,
    bySeverity: { critical: sev.critical ?? 0, high: sev.high ?? 0, medium: sev.medium ?? 0, low: sev.low ?? 0, info: sev.info ?? 0 },
    ignored: r.ignored.length,
    findings: r.findings.map((f) => ({ fingerprint: f.id, type: f.type, severity: f.severity, title: f.title, host: f.host, protocol: f.protocol, port: f.port, evidence: f.evidence, remediation: f.remediation })),
  };
  const scan = outsideScan(result, { startedAt, endedAt, version: r.version, args: meta.args });
  if (scan) rec.scan = scan;
  return rec;
}

/**
 * The audit's outside scans (this machine's addresses, remote targets) as one scan record. Audits scan
 * with -Pn (api/audit.ts), so every host is `up` with reason `user-set`, as nmap reports it. An address
 * in two views (a remote target that is also this machine's, with --local) is stored once.
 */
function outsideScan(result: AuditResult, meta: Pick<ScanRecord, 'startedAt' | 'endedAt' | 'version' | 'args'>): ScanRecord | null {
  const hosts = new Map<string, HostRecord>();
  for (const o of result.views.flatMap((v) => v.outside)) {
    if (o.ports.length === 0) continue;
    const h = hosts.get(o.address) ?? { address: o.address, family: o.address.includes(':') ? 6 : 4, status: 'up', statusReason: 'user-set', ports: [] };
    hosts.set(o.address, h);
    const seen = new Set(h.ports.map((p) => `${p.protocol}/${p.port}`));
    for (const p of o.ports) {
      const key = `${p.protocol}/${p.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      h.ports.push(portRecordFromResult(p));
    }
  }
  if (hosts.size === 0) return null;
  for (const h of hosts.values()) h.ports.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  return { ...meta, scanner: 'portscope', source: 'audit', interrupted: false, hosts: [...hosts.values()] };
}

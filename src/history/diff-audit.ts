/**
 * `diff --audit A B`: two stored audits compared finding by finding. A finding's fingerprint is the
 * report's stable finding id (type, host, protocol, port; docs/audit.md), so the same problem found again
 * matches across runs. Kinds: new (only in B), resolved (only in A), changed (in both, severity differs),
 * unchanged. Pure functions: the caller loads the audits and prints.
 */

import type { AuditDiff, AuditDiffFinding, AuditFindingChange, AuditFindingSummary, AuditRecord, AuditSide } from '../model/index.js';
export type { AuditDiff, AuditDiffFinding, AuditFindingChange, AuditSide } from '../model/index.js';

/** What a diff needs of a stored audit: model/'s AuditRecord, of which only these fields are read. */
export type AuditDiffInput = Pick<AuditRecord, 'id' | 'startedAt' | 'policyPath' | 'policyHash'> & { findings: readonly AuditFindingSummary[] };

const ORDER: Record<AuditFindingChange, number> = { new: 0, changed: 1, resolved: 2, unchanged: 3 };

export function diffAudits(a: AuditDiffInput, b: AuditDiffInput): AuditDiff {
  // A report has one finding per fingerprint; should a stored one repeat, the last of it counts.
  const before = new Map(a.findings.map((f) => [f.fingerprint, f]));
  const after = new Map(b.findings.map((f) => [f.fingerprint, f]));
  const findings: AuditDiffFinding[] = [];
  const entry = (kind: AuditFindingChange, f: AuditFindingSummary): AuditDiffFinding => ({ kind, fingerprint: f.fingerprint, type: f.type, severity: f.severity, title: f.title, host: f.host, protocol: f.protocol, port: f.port });
  for (const [fp, f] of after) {
    const old = before.get(fp);
    if (!old) findings.push(entry('new', f));
    else if (old.severity !== f.severity) findings.push({ ...entry('changed', f), severityBefore: old.severity });
    else findings.push(entry('unchanged', f));
  }
  for (const [fp, f] of before) if (!after.has(fp)) findings.push(entry('resolved', f));
  findings.sort((x, y) => ORDER[x.kind] - ORDER[y.kind] || x.host.localeCompare(y.host) || x.port - y.port || x.protocol.localeCompare(y.protocol) || x.type.localeCompare(y.type));
  const counts = { new: 0, resolved: 0, changed: 0, unchanged: 0 };
  for (const f of findings) counts[f.kind]++;
  return {
    formatVersion: 1,
    kind: 'audit',
    a: side(a),
    b: side(b),
    changed: counts.new + counts.resolved + counts.changed > 0,
    policyChanged: a.policyHash !== b.policyHash,
    counts,
    findings,
  };
}

function side(r: AuditDiffInput): AuditSide {
  return { id: r.id ?? null, at: new Date(r.startedAt).toISOString(), policyPath: r.policyPath, policyHash: r.policyHash };
}

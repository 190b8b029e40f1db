/**
 * `diff --audit A B`: two stored audits compared finding by finding. A finding's fingerprint is the
 * report's stable finding id (type, host, protocol, port; docs/audit.md), so the same problem found again
 * matches across runs. Kinds: new (only in B), resolved (only in A), changed (in both, severity differs),
 * unchanged. Pure functions: the caller loads the audits and prints.
 */

import type { AuditFindingSummary } from '../model/index.js';

/** What a diff needs of a stored finding (model/audit-record.ts); the store's records have more. */
export type AuditFindingRecord = AuditFindingSummary;

/** What a diff needs of a stored audit (the store's AuditRecord has this shape; output/ imports no store). */
export interface AuditRecord {
  id?: number;
  startedAt: number;
  policyPath: string | null;
  policyHash: string | null;
  findings: AuditFindingRecord[];
}

export type AuditFindingChange = 'new' | 'resolved' | 'changed' | 'unchanged';

export interface AuditDiffFinding extends AuditFindingSummary {
  kind: AuditFindingChange;
  /** Severity in A, for `changed`. */
  severityBefore?: string;
}

export interface AuditSide {
  id: number | null;
  at: string;
  policyPath: string | null;
  policyHash: string | null;
}

export interface AuditDiff {
  formatVersion: 1;
  kind: 'audit';
  a: AuditSide;
  b: AuditSide;
  /** True when a finding is new, resolved or changed severity: exit 1. */
  changed: boolean;
  /** The policy file's hash differs: some differences may come from the policy, not the machine. */
  policyChanged: boolean;
  counts: { new: number; resolved: number; changed: number; unchanged: number };
  findings: AuditDiffFinding[];
}

const ORDER: Record<AuditFindingChange, number> = { new: 0, changed: 1, resolved: 2, unchanged: 3 };

export function diffAudits(a: AuditRecord, b: AuditRecord): AuditDiff {
  // A report has one finding per fingerprint; should a stored one repeat, the last of it counts.
  const before = new Map(a.findings.map((f) => [f.fingerprint, f]));
  const after = new Map(b.findings.map((f) => [f.fingerprint, f]));
  const findings: AuditDiffFinding[] = [];
  const entry = (kind: AuditFindingChange, f: AuditFindingRecord): AuditDiffFinding => ({ kind, fingerprint: f.fingerprint, type: f.type, severity: f.severity, title: f.title, host: f.host, protocol: f.protocol, port: f.port });
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

function side(r: AuditRecord): AuditSide {
  return { id: r.id ?? null, at: new Date(r.startedAt).toISOString(), policyPath: r.policyPath, policyHash: r.policyHash };
}

const MARK: Record<AuditFindingChange, string> = { new: '+', resolved: '-', changed: '~', unchanged: ' ' };

export function formatAuditDiffText(d: AuditDiff): string {
  const name = (s: AuditSide): string => `audit #${s.id ?? '?'} (${s.at.replace(/\.\d{3}Z$/, 'Z')}${s.policyPath ? `, policy ${s.policyPath}` : ', no policy'})`;
  let out = `portscope diff ${name(d.a)} -> ${name(d.b)}\n`;
  if (d.policyChanged) out += `note: the policy differs between the two audits (sha256 ${short(d.a.policyHash)} -> ${short(d.b.policyHash)}); some changes may come from the policy\n`;
  out += '\n';
  if (d.findings.length === 0) return out + 'No findings in either audit.\n';
  const rows = d.findings.map((f) => {
    const what = f.kind === 'changed' ? `severity ${f.severityBefore} -> ${f.severity}` : f.kind;
    return [MARK[f.kind], f.severity, f.type, `${f.host} ${f.port}/${f.protocol}`, what, f.title];
  });
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  out += rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n') + '\n';
  const c = d.counts;
  return out + `\nfindings: ${c.new} new, ${c.resolved} resolved, ${c.changed} changed severity, ${c.unchanged} unchanged\n`;
}

export function formatAuditDiffJson(d: AuditDiff): string {
  return JSON.stringify(d, null, 2) + '\n';
}

const short = (h: string | null): string => (h ? h.slice(0, 12) : 'none');

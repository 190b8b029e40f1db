/**
 * What `diff` and `diff --audit` produce (history/diff-model.ts, history/diff-audit.ts) and the renderers in
 * output/ print: plain data, no logic.
 */
import type { AuditFindingSummary } from './audit-record.js';

export interface ScanRef {
  /** `#12` for a stored scan, else the file name. */
  label: string;
  id?: number;
  file?: string;
  startedAt: number;
  scanner: string;
  args: string;
}

export interface PortView {
  state: string;
  service?: string;
  product?: string;
  version?: string;
  extrainfo?: string;
}

export interface PortChange {
  kind: 'new' | 'gone' | 'changed';
  protocol: string;
  port: number;
  /** Absent when the port was not scanned on that side. */
  before?: PortView;
  after?: PortView;
  /** What differs: `state`, `service`, `product`, `version`, `extrainfo`. */
  fields: string[];
}

export interface HostChange {
  address: string;
  hostname?: string;
  kind: 'new' | 'gone' | 'changed';
  statusBefore?: string;
  statusAfter?: string;
  ports: PortChange[];
}

export interface ScanDiff {
  a: ScanRef;
  b: ScanRef;
  hosts: HostChange[];
  counts: { hostsNew: number; hostsGone: number; portsNew: number; portsGone: number; portsChanged: number };
  changed: boolean;
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

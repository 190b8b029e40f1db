import type { ScanRecord } from './scan-record.js';

/**
 * A stored audit finding as a plain record: what `audit --save` writes, what history loads back and what
 * `diff --audit` compares. `fingerprint` is the report's stable finding id (type, host, protocol, port;
 * docs/audit.md), so the same problem found again matches across runs.
 */

/** A finding's identity and headline: all a diff compares (evidence and remediation take no part). */
export interface AuditFindingSummary {
  fingerprint: string;
  type: string;
  severity: string;
  title: string;
  host: string;
  protocol: string;
  port: number;
}

/** A finding as stored, with the report's evidence and remediation objects kept as they were. */
export interface AuditFindingRecord extends AuditFindingSummary {
  evidence: unknown;
  remediation: unknown;
}

/** Finding counts of a stored audit, by severity (the audit report's severities). */
export interface AuditCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  info: number;
}

/** One stored audit without its findings (history --audits). */
export interface AuditListing {
  id: number;
  startedAt: number;
  endedAt: number;
  version: string;
  args: string;
  policyPath: string | null;
  /** sha256 of the policy file, hex; null without a policy. */
  policyHash: string | null;
  /** Audited hosts: `local` and remote addresses. */
  targets: string[];
  /** The audit's outside scan, stored as a normal scan (see history); absent when none was made. */
  scanId?: number;
  failOn: string;
  failed: boolean;
  total: number;
  bySeverity: AuditCounts;
  ignored: number;
}

/** An audit to store (`scan` is its outside scan, saved in the same transaction) or loaded back. */
export interface AuditRecord extends Omit<AuditListing, 'id' | 'total' | 'scanId'> {
  id?: number;
  scanId?: number;
  scan?: ScanRecord;
  findings: AuditFindingRecord[];
}

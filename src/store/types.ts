/**
 * The history's own records (listings, schedules). The scan record and the audit finding record live in
 * model/ (scan-record.ts, audit-record.ts), since imports, diffs and outputs use them too.
 */

export type { ScanSource, ServiceRecord, PortRecord, HostRecord, ScanRecord, AuditFindingRecord } from '../model/index.js';
import type { AuditFindingRecord, ScanRecord, ScanSource } from '../model/index.js';

/** One stored scan without its hosts (history listings). */
export interface ScanListing {
  id: number;
  startedAt: number;
  endedAt: number;
  scanner: string;
  source: ScanSource;
  args: string;
  file?: string;
  hostsTotal: number;
  hostsUp: number;
  openPorts: number;
  interrupted: boolean;
  scheduleId?: number;
}

/** A watch schedule: what to scan, how often, and where it left off (survives restarts). */
export interface ScheduleRecord {
  id: number;
  /** Identity of the schedule: the targets and scan options, normalised (same command → same schedule). */
  key: string;
  targets: string[];
  /** The scan options as JSON (ScanOptions without signal/resolver). */
  options: Record<string, unknown>;
  everyMs: number;
  nextRunAt: number;
  lastScanId?: number;
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

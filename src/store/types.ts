/**
 * The history's own records (listings, schedules). The scan record and the audit finding record live in
 * model/ (scan-record.ts, audit-record.ts), since imports, diffs and outputs use them too.
 */

export type { ScanSource, ServiceRecord, PortRecord, HostRecord, ScanRecord, AuditFindingRecord, AuditCounts, AuditListing, AuditRecord } from '../model/index.js';
import type { ScanSource } from '../model/index.js';

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

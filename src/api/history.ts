/**
 * `history`: the scans stored over time, and per host and port when it was first and last seen open and
 * every change of state between consecutive scans of that host.
 */
import type { HostReport, ScanStart, ScanSummary } from '../model/index.js';
import { buildTimelines, type PortTimeline } from '../history/timeline.js';
import { HistoryStore, scanRecordFromRun, type AuditListing, type ScanListing } from '../store/index.js';
export { buildTimelines, type PortTimeline, type Sighting } from '../history/timeline.js';
export { saveAuditRun, type AuditSaveMeta } from './audit-save.js';
export type { AuditListing } from '../store/index.js';

export interface HistoryOptions {
  /** `--db`: file path or postgres:// URL (default: the user's data directory). */
  db?: string;
  /** Address or hostname: per-port history of that host. Without it, the list of scans. */
  target?: string;
  env?: NodeJS.ProcessEnv;
}

export interface HostHistory {
  address: string;
  ports: PortTimeline[];
}

export interface HistoryResult {
  db: string;
  scans: ScanListing[];
  /** With a target: one entry per stored address matching it. */
  hosts?: HostHistory[];
}

export async function history(opts: HistoryOptions = {}): Promise<HistoryResult> {
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    if (opts.target === undefined) return { db: store.location.display, scans: await store.listScans() };
    const addresses = await store.resolveTarget(opts.target);
    const hosts: HostHistory[] = [];
    for (const address of addresses) hosts.push({ address, ports: buildTimelines(await store.portObservations(address)) });
    return { db: store.location.display, scans: await store.listScans({ addresses }), hosts };
  } finally {
    await store.close();
  }
}

/** `scan --save`: store a finished (or interrupted) scan; returns its id. */
export async function saveScanRun(run: { start: ScanStart; hosts: HostReport[]; summary?: ScanSummary }, opts: { db?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ id: number; db: string }> {
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    const id = await store.saveScan(scanRecordFromRun(run.start, run.hosts, run.summary, 'scan'));
    return { id, db: store.location.display };
  } finally {
    await store.close();
  }
}

/** `history --audits`: stored audits, oldest first, with their finding counts. */
export async function auditHistory(opts: { db?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ db: string; audits: AuditListing[] }> {
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    return { db: store.location.display, audits: await store.listAudits() };
  } finally {
    await store.close();
  }
}

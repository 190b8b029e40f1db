/**
 * `history`: the scans stored over time, and per host and port when it was first and last seen open and
 * every change of state between consecutive scans of that host.
 */
import type { HostReport, ScanStart, ScanSummary } from '../model/index.js';
import { isMaybeOpen } from '../model/index.js';
import { HistoryStore, scanRecordFromRun, type AuditListing, type PortObservation, type ScanListing } from '../store/index.js';
export { saveAuditRun, type AuditSaveMeta } from './audit-save.js';
export type { AuditListing } from '../store/index.js';

export interface HistoryOptions {
  /** `--db`: file path or postgres:// URL (default: the user's data directory). */
  db?: string;
  /** Address or hostname: per-port history of that host. Without it, the list of scans. */
  target?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Sighting {
  scanId: number;
  at: number;
}

export interface PortTimeline {
  protocol: string;
  port: number;
  /** First and last scan in which the port may have been open (open, open|filtered, unfiltered). */
  firstSeen: Sighting | null;
  lastSeen: Sighting | null;
  /** State in the latest scan of this host that covered the port. */
  current: { state: string; scanId: number; at: number };
  service?: string;
  /** Every change between consecutive scans that covered the port. */
  changes: { scanId: number; at: number; from: string; to: string }[];
  observations: number;
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

/** Timelines from observations sorted by port, then scan time (HistoryStore.portObservations). */
export function buildTimelines(obs: PortObservation[]): PortTimeline[] {
  const out: PortTimeline[] = [];
  let cur: PortTimeline | null = null;
  for (const o of obs) {
    if (!cur || cur.protocol !== o.protocol || cur.port !== o.port) {
      cur = { protocol: o.protocol, port: o.port, firstSeen: null, lastSeen: null, current: { state: o.state, scanId: o.scanId, at: o.startedAt }, changes: [], observations: 0 };
      out.push(cur);
    } else if (cur.current.state !== o.state) {
      cur.changes.push({ scanId: o.scanId, at: o.startedAt, from: cur.current.state, to: o.state });
    }
    cur.observations++;
    cur.current = { state: o.state, scanId: o.scanId, at: o.startedAt };
    if (isMaybeOpen(o.state)) {
      const s = { scanId: o.scanId, at: o.startedAt };
      cur.firstSeen ??= s;
      cur.lastSeen = s;
    }
    if (o.service !== undefined) cur.service = o.service;
  }
  return out;
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

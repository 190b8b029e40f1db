/** The distributed-scan rows (migration 4): scans, shards, workers, and the progress the coordinator shows. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../store/index.js';
import type { DistScansTable } from '../store/schema.js';

export type DistScanRow = Selectable<DistScansTable>;
export type DistState = 'running' | 'done' | 'cancelled' | 'failed';

/** A worker whose heartbeat is older than this is dead: its share of --max-rate goes to the others. */
export const WORKER_DEAD_MS = 6_000;

export async function getScanRow(db: Kysely<Database>, id: number): Promise<DistScanRow | undefined> {
  return db.selectFrom('dist_scans').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ScanProgressRow {
  shards: number;
  done: number;
  running: number;
  failed: number;
  /** Host × port pairs settled, in finished and running shards. */
  ports: number;
  hosts: number;
  /** Fraction of running shards' work done, summed (for the ETA). */
  partial: number;
  firstError?: string;
}

export async function scanProgress(db: Kysely<Database>, id: number): Promise<ScanProgressRow> {
  const rows = await db.selectFrom('dist_shards').select(['state', 'probes', 'hosts', 'error']).where('scan_id', '=', id).execute();
  const p: ScanProgressRow = { shards: rows.length, done: 0, running: 0, failed: 0, ports: 0, hosts: 0, partial: 0 };
  for (const r of rows) {
    p.ports += Number(r.probes);
    p.hosts += Number(r.hosts);
    if (r.state === 'done') p.done++;
    else if (r.state === 'running') p.running++;
    else if (r.state === 'failed') {
      p.failed++;
      p.firstError ??= r.error ?? 'shard failed';
    }
  }
  return p;
}

export interface LiveWorker {
  id: string;
  hostname: string;
  labels: string[];
  version: string;
  state: string;
}

export async function liveWorkers(db: Kysely<Database>, now: number): Promise<LiveWorker[]> {
  const rows = await db
    .selectFrom('fleet_workers')
    .selectAll()
    .where('last_beat', '>=', now - WORKER_DEAD_MS)
    .where('state', '!=', 'stopped')
    .execute();
  return rows.map((r) => ({ id: r.id, hostname: r.hostname, labels: JSON.parse(r.labels) as string[], version: r.version, state: r.state }));
}

/** The workers that can take shards of this scan: same version, and the label when the vantage names one. */
export function eligible(workers: LiveWorker[], version: string, vantage: string): LiveWorker[] {
  return workers.filter((w) => w.version === version && (vantage === '' || w.labels.includes(vantage)));
}

/** Each live worker's share of the scan's global --max-rate (rebalanced as workers join and die). */
export function sharePerWorker(maxRate: number | null, live: number): number | null {
  if (maxRate === null || maxRate <= 0) return null;
  return Math.max(1, Math.floor(maxRate / Math.max(1, live)));
}

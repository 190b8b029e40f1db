/**
 * Distributed scans on the history database's PostgreSQL (issue 14, docs/fleet.md): start (split and
 * enqueue), follow, merge, cancel, list. Workers: api/worker.ts.
 */
import type PgBoss from 'pg-boss';
import { createScan, validateCreate, type CreateOptions } from '../fleet/create.js';
import { FleetError } from '../fleet/errors.js';
import { cancelScan, followScan, listDistScans, loadScan, type FollowUpdate, type ScanListRow } from '../fleet/follow.js';
import { mergedScan, sampleMergedScan, vantageDifferences, type MergedScan, type VantageDifference } from '../fleet/merge.js';
import { openQueue } from '../fleet/queue.js';
import type { DistState } from '../fleet/rows.js';
import { HistoryStore } from '../store/index.js';
import { describeDbError } from '../store/errors.js';
import { PortscopeError } from '../model/index.js';

export type { FollowUpdate, MergedScan, ScanListRow, VantageDifference, DistState };
export { FleetError };

export interface FleetDbOptions {
  /** A postgres:// URL (the queue is pg-boss on PostgreSQL). */
  db: string;
  env?: NodeJS.ProcessEnv;
}

async function withStore<T>(o: FleetDbOptions, fn: (store: HistoryStore) => Promise<T>): Promise<T> {
  const store = await HistoryStore.open(o.db, o.env ?? process.env);
  try {
    if (store.dialect !== 'postgres') throw new FleetError(`distributed scans need a postgres:// database (the queue is pg-boss on PostgreSQL), not ${store.location.display}`);
    return await fn(store);
  } catch (err) {
    if (err instanceof PortscopeError) throw err;
    throw new FleetError(`distributed scan in ${store.location.display}: ${describeDbError(err)}`);
  } finally {
    await store.close();
  }
}

async function withQueue<T>(store: HistoryStore, fn: (boss: PgBoss) => Promise<T>): Promise<T> {
  const boss = await openQueue(store.location.target, store.location.display, () => {}, false);
  try {
    return await fn(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => {});
  }
}

export interface DistributeOptions extends CreateOptions, FleetDbOptions {}

/** Split and enqueue; returns the scan id at once (workers do the rest). Bad options throw before anything is stored. */
export async function startDistributedScan(o: DistributeOptions): Promise<number> {
  validateCreate(o);
  return withStore(o, (store) => withQueue(store, (boss) => createScan(store, boss, o)));
}

export interface FollowResult {
  state: DistState;
  /** One merged result per vantage ('' = any worker), in the scan's vantage order. */
  scans: MergedScan[];
  /** With several vantages: the ports whose state differs between them. */
  differences: VantageDifference[];
  /** History scan ids of the merged results, per vantage, once done. */
  historyScanIds: Record<string, number> | null;
}

/** Follow a scan until it ends (or `signal` aborts: then the current partial merge is returned). */
export async function followDistributedScan(o: FleetDbOptions & { id: number; onUpdate?: (u: FollowUpdate) => void; signal?: AbortSignal }): Promise<FollowResult> {
  return withStore(o, async (store) => {
    const state = await followScan(store, o.id, o.onUpdate ?? (() => {}), o.signal);
    const row = await loadScan(store, o.id);
    const scans: MergedScan[] = [];
    for (const v of JSON.parse(row.vantages) as string[]) scans.push(await mergedScan(store.raw.db, row, v));
    return { state, scans, differences: scans.length > 1 ? vantageDifferences(scans) : [], historyScanIds: row.history_scan_ids ? (JSON.parse(row.history_scan_ids) as Record<string, number>) : null };
  });
}

/**
 * A small synthetic merged scan made by the same merge code as the real one: a coordinator renders it
 * while it waits for the workers, so the merge and the writers are compiled when the real result comes
 * (one-time costs off the critical path; bench/RESULTS.md, "Distributed scans, round 3").
 */
export function sampleMerge(): MergedScan {
  return sampleMergedScan();
}

/** Cancel a running scan; `cancelled` is false (and `state` says why) when it was no longer running. */
export function cancelDistributedScan(o: FleetDbOptions & { id: number }): Promise<{ state: DistState; cancelled: boolean }> {
  return withStore(o, (store) => withQueue(store, (boss) => cancelScan(store, boss, o.id)));
}

export function listDistributedScans(o: FleetDbOptions): Promise<ScanListRow[]> {
  return withStore(o, (store) => listDistScans(store));
}

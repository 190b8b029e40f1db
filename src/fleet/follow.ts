/**
 * The coordinator's side after enqueueing: follow a scan's progress (shards, ports/s, ETA, live workers),
 * rebalance the global --max-rate over live workers, finish the scan (state, merged result stored as a
 * normal history scan once), cancel. All state is in the database: any coordinator can attach.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import { scanRecordFromRun, type HistoryStore } from '../store/index.js';
import { insertScan } from '../store/scan-write.js';
import { FleetError } from './errors.js';
import { mergedScan } from './merge.js';
import { listen, SCAN_CHANNEL } from './notify.js';
import { queueName } from './queue.js';
import { retrying } from './retry.js';
import { eligible, getScanRow, liveWorkers, scanProgress, sharePerWorker, type DistScanRow, type DistState } from './rows.js';

export interface FollowUpdate {
  scanId: number;
  state: DistState;
  shards: number;
  done: number;
  running: number;
  portsPerSecond: number;
  etaMs: number | null;
  workers: number;
  ratePerWorker: number | null;
}

const TICK_MS = 500;

export async function loadScan(store: HistoryStore, id: number): Promise<DistScanRow> {
  const row = await retrying(() => getScanRow(store.raw.db, id));
  if (!row) throw new FleetError(`no distributed scan #${id} in ${store.location.display} (see portscope scans)`);
  return row;
}

/** Follow until the scan is done, failed or cancelled (or `signal` aborts: the scan goes on without us). */
export async function followScan(store: HistoryStore, id: number, onUpdate: (u: FollowUpdate) => void, signal?: AbortSignal): Promise<DistState> {
  const { db } = store.raw;
  let last: { t: number; ports: number } | null = null;
  let pps = 0;
  // A worker finishing a shard notifies: the tick's sleep ends at once (notify.ts); the tick stays as the fallback.
  let wakeUp = new AbortController();
  const listener = listen(store.location.target, SCAN_CHANNEL, (payload) => {
    if (payload === String(id)) wakeUp.abort();
  });
  try {
    return await followLoop();
  } finally {
    await listener.close();
  }
  async function followLoop(): Promise<DistState> {
    for (;;) {
      const row = await loadScan(store, id);
      const state = row.state as DistState;
      const p = await retrying(() => scanProgress(db, id));
      if (state === 'running' && p.failed > 0) {
        await setFinal(store, id, 'failed', p.firstError ?? 'a shard failed');
        continue;
      }
      if (state === 'running' && p.done === p.shards) {
        await finish(store, id);
        continue;
      }
      const now = Date.now();
      const vantages = JSON.parse(row.vantages) as string[];
      const workers = await retrying(() => liveWorkers(db, now));
      const live = new Set(vantages.flatMap((v) => eligible(workers, row.version, v).map((w) => w.id))).size;
      const share = sharePerWorker(row.max_rate, live);
      if (state === 'running' && share !== (row.rate_per_worker === null ? null : Number(row.rate_per_worker))) {
        await retrying(() => db.updateTable('dist_scans').set({ rate_per_worker: share }).where('id', '=', id).execute());
      }
      if (last && now > last.t) pps = Math.max(0, ((p.ports - last.ports) * 1000) / (now - last.t)) * 0.5 + pps * 0.5;
      last = { t: now, ports: p.ports };
      const frac = p.shards ? p.done / p.shards : 0;
      const elapsed = now - Number(row.created_at);
      if (state !== 'running') return state;
      onUpdate({ scanId: id, state, shards: p.shards, done: p.done, running: p.running, portsPerSecond: pps, etaMs: frac > 0 && frac < 1 ? (elapsed / frac) * (1 - frac) : null, workers: live, ratePerWorker: share });
      if (signal?.aborted) return state;
      if (!wakeUp.signal.aborted) await sleep(TICK_MS, undefined, { signal: signal ? AbortSignal.any([signal, wakeUp.signal]) : wakeUp.signal }).catch(() => {});
      wakeUp = new AbortController();
    }
  }
}

async function setFinal(store: HistoryStore, id: number, state: DistState, error?: string): Promise<void> {
  await retrying(() =>
    store.raw.db
      .updateTable('dist_scans')
      .set({ state, ended_at: Date.now(), error: error ?? null })
      .where('id', '=', id)
      .where('state', '=', 'running')
      .execute(),
  );
}

/** Mark the scan done and, with --save, store each vantage's merged result as a normal scan, once (advisory lock). */
async function finish(store: HistoryStore, id: number): Promise<void> {
  await retrying(() =>
    store.raw.writeTx(async (trx) => {
      const row = await getScanRow(trx, id);
      if (row?.state !== 'running') return;
      const endedAt = Date.now();
      await trx.updateTable('dist_scans').set({ state: 'done', ended_at: endedAt }).where('id', '=', id).execute();
      const done = { ...row, state: 'done', ended_at: endedAt };
      if (Number(row.save_history) !== 1) return;
      const saved: Record<string, number> = {};
      for (const v of JSON.parse(row.vantages) as string[]) {
        const m = await mergedScan(trx, done, v);
        saved[v] = await insertScan(trx, scanRecordFromRun(m.start, m.hosts, m.summary, 'scan'));
      }
      await trx
        .updateTable('dist_scans')
        .set({ history_scan_ids: JSON.stringify(saved) })
        .where('id', '=', id)
        .execute();
    }),
  );
}

/** Cancel: the state flips (workers mid-shard see it on their next heartbeat and stop), queued jobs are cancelled. */
export async function cancelScan(store: HistoryStore, boss: PgBoss, id: number): Promise<{ state: DistState; cancelled: boolean }> {
  const row = await loadScan(store, id);
  if (row.state !== 'running') return { state: row.state as DistState, cancelled: false };
  await setFinal(store, id, 'cancelled');
  const shards = await store.raw.db.selectFrom('dist_shards').select(['vantage', 'job_id']).where('scan_id', '=', id).where('state', '!=', 'done').execute();
  const byQueue = new Map<string, string[]>();
  for (const s of shards) {
    const q = queueName(row.version, s.vantage);
    byQueue.set(q, [...(byQueue.get(q) ?? []), s.job_id]);
  }
  for (const [q, ids] of byQueue) await boss.cancel(q, ids).catch(() => {});
  return { state: 'cancelled', cancelled: true };
}

export interface ScanListRow {
  id: number;
  createdAt: number;
  endedAt: number | null;
  state: string;
  version: string;
  args: string;
  shards: number;
  done: number;
  vantages: string[];
  historyScanIds: Record<string, number> | null;
}

export async function listDistScans(store: HistoryStore): Promise<ScanListRow[]> {
  const { db } = store.raw;
  const rows = await db.selectFrom('dist_scans').selectAll().orderBy('id').execute();
  const out: ScanListRow[] = [];
  for (const r of rows) {
    const p = await scanProgress(db, Number(r.id));
    out.push({
      id: Number(r.id),
      createdAt: Number(r.created_at),
      endedAt: r.ended_at === null ? null : Number(r.ended_at),
      state: r.state,
      version: r.version,
      args: r.args,
      shards: p.shards,
      done: p.done,
      vantages: JSON.parse(r.vantages) as string[],
      historyScanIds: r.history_scan_ids ? (JSON.parse(r.history_scan_ids) as Record<string, number>) : null,
    });
  }
  return out;
}

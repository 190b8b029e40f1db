/**
 * Starting a distributed scan: validate the options as a local scan would, store the scan and its shards,
 * and enqueue one pg-boss job per shard and vantage (explicit job ids, kept with the shard for --cancel;
 * a singleton key per shard so a re-run of the enqueue step cannot queue a shard twice).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { sql } from '../store/kysely.js';
import type PgBoss from 'pg-boss';
import { scan, type ScanOptions } from '../api/scan.js';
import { OptionError } from '../model/index.js';
import type { HistoryStore } from '../store/index.js';
import { VERSION } from '../version.js';
import { SHARDS_CHANNEL } from './notify.js';
import { eligible, liveWorkers } from './rows.js';
import { ensureQueue, LABEL_SHAPE, queueName, type ShardJob } from './queue.js';

export interface CreateOptions {
  scan: ScanOptions;
  /** Number of shards (default 8); each vantage runs all of them. */
  shards?: number;
  /** --from-workers: run every shard once per label, on workers with that label. */
  vantages?: string[];
  /** Global probes/s across all workers, split among the live ones. */
  maxRate?: number;
  maxRatePerWorker?: number;
  /** A shard not finished within this lease is given to another worker (default 600 s). */
  leaseSeconds?: number;
  commandLine: string;
  /** --save: when done, also store the merged result as a normal history scan (as scan --save). */
  saveHistory?: boolean;
}

/**
 * Without --shards: one shard per live worker that can take the scan (at least 1, at most this). Each
 * shard is a walk of its own with its own start-up (bench/RESULTS.md: 4 shards on one worker took 3.5×
 * one), so more shards than workers only pay off for rebalancing and shorter redos; ask for them.
 */
export const MAX_DEFAULT_SHARDS = 64;
export const DEFAULT_LEASE_SECONDS = 600;

/** Only options that mean the same on every worker travel with the scan. */
const LOCAL_ONLY: (keyof ScanOptions)[] = ['signal', 'resolver', 'progressIntervalMs', 'targetFile', 'excludeFile', 'maxRate', 'maxRateNow', 'commandLine', 'shard', 'resume'];

export function validateCreate(o: CreateOptions): void {
  const shards = o.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > 100_000) throw new OptionError(`--shards needs a whole number 1-100000, not ${shards}`);
  for (const v of o.vantages ?? []) if (!LABEL_SHAPE.test(v)) throw new OptionError(`--from-workers: label "${v.slice(0, 40)}" must be 1-64 letters, digits, _ or -`);
  if (o.scan.targetFile !== undefined || o.scan.excludeFile !== undefined) throw new OptionError('--distribute takes targets on the command line (-iL/--excludefile files are not on the workers)');
  const lease = o.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(lease) || lease < 5 || lease > 86_400) throw new OptionError(`--lease needs 5-86400 seconds, not ${lease}`);
  // Throws the same one-line errors as a local scan (ports, targets, timing, shards); nothing is sent.
  scan({ ...o.scan, dryRun: true, seed: o.scan.seed ?? 1, shard: { index: 0, count: shards } });
}

export async function createScan(store: HistoryStore, boss: PgBoss, o: CreateOptions): Promise<number> {
  validateCreate(o);
  const vantages = o.vantages?.length ? [...new Set(o.vantages)] : [''];
  let shards = o.shards;
  if (shards === undefined) {
    const live = await liveWorkers(store.raw.db, Date.now());
    shards = Math.min(MAX_DEFAULT_SHARDS, Math.max(1, ...vantages.map((v) => eligible(live, VERSION, v).length)));
  }
  // Every shard walks the same order: one seed for the whole scan, the user's --seed or a random one.
  const options: Record<string, unknown> = { ...o.scan, seed: o.scan.seed ?? randomInt(0, 2 ** 32) };
  for (const k of LOCAL_ONLY) delete options[k];
  const jobs: { queue: string; id: string; data: ShardJob }[] = [];
  const scanId = await store.raw.writeTx(async (trx) => {
    const row = await trx
      .insertInto('dist_scans')
      .values({
        created_at: Date.now(),
        version: VERSION,
        args: o.commandLine,
        options: JSON.stringify(options),
        shards,
        vantages: JSON.stringify(vantages),
        state: 'running',
        max_rate: o.maxRate ?? null,
        max_rate_per_worker: o.maxRatePerWorker ?? null,
        rate_per_worker: o.maxRate ?? null,
        lease_seconds: o.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
        scan_info: null,
        ended_at: null,
        error: null,
        history_scan_ids: null,
        save_history: o.saveHistory ? 1 : 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const rows = [];
    for (const vantage of vantages) {
      for (let idx = 0; idx < shards; idx++) {
        const jobId = randomUUID();
        jobs.push({ queue: queueName(VERSION, vantage), id: jobId, data: { scanId: id, vantage, idx, count: shards, version: VERSION } });
        rows.push({ scan_id: id, vantage, idx, job_id: jobId, state: 'queued', worker: null, attempts: 0, probes: 0, hosts: 0, started_at: null, done_at: null, error: null });
      }
    }
    for (let i = 0; i < rows.length; i += 2000)
      await trx
        .insertInto('dist_shards')
        .values(rows.slice(i, i + 2000))
        .execute();
    return id;
  });
  for (const q of new Set(jobs.map((j) => j.queue))) await ensureQueue(boss, q);
  const lease = o.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  for (let i = 0; i < jobs.length; i += 1000) {
    await boss.insert(jobs.slice(i, i + 1000).map((j) => ({ id: j.id, name: j.queue, data: j.data, singletonKey: `${j.data.scanId}:${j.data.vantage}:${j.data.idx}`, expireInSeconds: lease })));
  }
  // Idle workers fetch now instead of within pg-boss's polling interval (notify.ts).
  await sql`select pg_notify(${SHARDS_CHANNEL}, ${String(scanId)})`.execute(store.raw.db).catch(() => {});
  return scanId;
}

/**
 * `portscope worker`: takes shards from the pg-boss queue (one at a time), scans them with the library's
 * engine, writes each finished host idempotently (results.ts), heartbeats in `fleet_workers`.
 * A killed worker loses nothing: its job's lease (expireInSeconds) runs out and pg-boss hands the shard
 * to another worker; the redo writes only what is missing.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from '../store/kysely.js';
import type PgBoss from 'pg-boss';
import type { BackendChoice, ScanOptions } from '../api/scan.js';
import { PortscopeError, type HostReport } from '../model/index.js';
import { HistoryStore } from '../store/index.js';
import { describeDbError } from '../store/errors.js';
import { VERSION } from '../version.js';
import { FleetError } from './errors.js';
import { listen, SCAN_CHANNEL, SHARDS_CHANNEL, type Listener } from './notify.js';
import { ensureQueue, LABEL_SHAPE, openQueue, queueName, type ShardJob } from './queue.js';
import { writeHosts } from './results.js';
import { retrying } from './retry.js';
import { eligible, getScanRow, liveWorkers, sharePerWorker, type DistScanRow } from './rows.js';
import { scanShard } from './shard-scan.js';

export interface WorkerOptions {
  db: string;
  env?: NodeJS.ProcessEnv;
  /** Vantage labels: the worker also takes shards queued for these labels (scan --from-workers). */
  labels?: string[];
  /** This worker's own probe-rate cap (packets/s); the scan's share of --max-rate can lower it. */
  maxRatePerWorker?: number;
  backend?: BackendChoice;
  signal?: AbortSignal;
  /** One line per event worth a log (shard taken/done/failed, connection trouble). */
  log?: (line: string) => void;
}

const HEARTBEAT_MS = 1000;
const FLUSH_HOSTS = 500;
const FLUSH_MS = 1000;

interface Current {
  job: ShardJob;
  abort: AbortController;
  ports: number;
  hosts: number;
  /** The shard's probe-rate cap now: recomputed on every heartbeat as workers join and die (0 = none). */
  rate: number;
}

export async function runWorker(o: WorkerOptions): Promise<{ id: string; shards: number }> {
  const labels = o.labels ?? [];
  for (const l of labels) if (!LABEL_SHAPE.test(l)) throw new FleetError(`worker label "${l.slice(0, 40)}" must be 1-64 letters, digits, _ or -`);
  if (o.maxRatePerWorker !== undefined && !(o.maxRatePerWorker > 0)) throw new FleetError('--max-rate-per-worker needs a positive number of probes per second');
  const log = o.log ?? (() => {});
  const store = await HistoryStore.open(o.db, o.env ?? process.env);
  const { db } = store.raw;
  let boss: PgBoss | undefined;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let current: Current | null = null;
  let shards = 0;
  let beat: NodeJS.Timeout | undefined;
  let wake: Listener | undefined;
  const workIds: string[] = [];
  try {
    if (store.dialect !== 'postgres') throw new FleetError(`portscope worker needs a postgres:// database (the queue is pg-boss on PostgreSQL), not ${store.location.display}`);
    await refuseOtherVersions(store);
    const now = Date.now();
    await db
      .insertInto('fleet_workers')
      .values({ id, hostname: hostname(), labels: JSON.stringify(labels), version: VERSION, pid: process.pid, max_rate: o.maxRatePerWorker ?? null, started_at: now, last_beat: now, state: 'idle', shards_done: 0, probes: 0 })
      .execute();
    let lastTrouble = '';
    boss = await openQueue(store.location.target, store.location.display, (err) => {
      const line = `queue: ${describeDbError(err)}`;
      if (line !== lastTrouble) log(line);
      lastTrouble = line;
    });
    const heartbeat = async (): Promise<void> => {
      const c = current;
      await db
        .updateTable('fleet_workers')
        .set({ last_beat: Date.now(), state: c ? 'busy' : 'idle' })
        .where('id', '=', id)
        .execute();
      if (!c) return;
      await db
        .updateTable('dist_shards')
        .set({ probes: c.ports, hosts: c.hosts })
        .where('scan_id', '=', c.job.scanId)
        .where('vantage', '=', c.job.vantage)
        .where('idx', '=', c.job.idx)
        .where('worker', '=', id)
        .where('state', '=', 'running')
        .execute();
      const s = await getScanRow(db, c.job.scanId);
      if (s && s.state !== 'running') c.abort.abort(`scan ${s.state}`);
      else if (s && c.rate > 0) {
        const rate = await rateCap(s);
        if (rate !== c.rate && current === c) {
          log(`shard ${c.job.scanId}/${c.job.vantage || '-'}#${c.job.idx}: rate cap ${c.rate}/s → ${rate}/s (live workers changed)`);
          c.rate = rate;
        }
      }
    };
    /**
     * The global --max-rate is shared by the live workers of this scan; counted here (at the shard's start
     * and on every heartbeat), so a detached scan (no coordinator refreshing rate_per_worker) holds it too.
     * The smallest of this worker's cap, the scan's per-worker cap and the share.
     */
    const rateCap = async (scanRow: DistScanRow): Promise<number> => {
      const vantages = JSON.parse(scanRow.vantages) as string[];
      const workersNow = await liveWorkers(db, Date.now());
      const live = new Set(vantages.flatMap((v) => eligible(workersNow, scanRow.version, v).map((w) => w.id)));
      live.add(id);
      const share = sharePerWorker(scanRow.max_rate, live.size);
      const rates = [o.maxRatePerWorker, scanRow.max_rate_per_worker, share].filter((r): r is number => r !== null && r !== undefined && Number(r) > 0).map(Number);
      return rates.length ? Math.min(...rates) : 0;
    };
    beat = setInterval(() => void heartbeat().catch(() => {}), HEARTBEAT_MS);
    const handler = async (jobs: PgBoss.JobWithMetadata<ShardJob>[]): Promise<void> => {
      for (const job of jobs) {
        const abort = new AbortController();
        current = { job: job.data, abort, ports: 0, hosts: 0, rate: 0 };
        try {
          await runShard(job, current);
          shards++;
        } catch (err) {
          const last = job.retryCount >= job.retryLimit;
          const msg = describeDbError(err);
          log(`shard ${job.data.scanId}/${job.data.vantage || '-'}#${job.data.idx}: ${msg}${last ? ' (no retries left)' : ' (will be retried)'}`);
          await retrying(() =>
            db
              .updateTable('dist_shards')
              .set({ state: last ? 'failed' : 'queued', error: msg })
              .where('scan_id', '=', job.data.scanId)
              .where('vantage', '=', job.data.vantage)
              .where('idx', '=', job.data.idx)
              .where('state', '!=', 'done')
              .execute(),
          ).catch(() => {});
          throw err;
        } finally {
          current = null;
          // Fetch the next shard as soon as this one is handed back, not after pg-boss's polling interval.
          for (const w of workIds) boss?.notifyWorker(w);
        }
      }
    };
    const runShard = async (job: PgBoss.JobWithMetadata<ShardJob>, cur: Current): Promise<void> => {
      const d = job.data;
      if (d.version !== VERSION) throw new FleetError(`shard of portscope ${d.version} reached a portscope ${VERSION} worker`);
      const scanRow = await retrying(() => getScanRow(db, d.scanId));
      if (scanRow?.state !== 'running') return;
      // A shard delivered again after it was done (its completion was lost in a PostgreSQL restart) is not rescanned.
      const mine = await retrying(() => db.selectFrom('dist_shards').select('state').where('scan_id', '=', d.scanId).where('vantage', '=', d.vantage).where('idx', '=', d.idx).executeTakeFirst());
      if (!mine || mine.state === 'done') return;
      const key = (q: ReturnType<typeof db.updateTable<'dist_shards'>>) => q.where('scan_id', '=', d.scanId).where('vantage', '=', d.vantage).where('idx', '=', d.idx);
      await retrying(() =>
        key(db.updateTable('dist_shards').set((eb) => ({ state: 'running', worker: id, attempts: eb('attempts', '+', 1), started_at: Date.now(), error: null })))
          .where('state', '!=', 'done')
          .execute(),
      );
      log(`shard ${d.scanId}/${d.vantage || '-'}#${d.idx} of ${d.count}: started (attempt ${job.retryCount + 1})`);
      // The global --max-rate is shared by the live workers of this scan; counted here too, so a detached
      // scan (no coordinator refreshing rate_per_worker) still holds it.
      cur.rate = await retrying(() => rateCap(scanRow));
      const lease = AbortSignal.timeout(Math.max(1000, Number(scanRow.lease_seconds) * 1000 - 1500));
      const signal = AbortSignal.any([cur.abort.signal, lease, ...(o.signal ? [o.signal] : [])]);
      const options: ScanOptions = { ...(JSON.parse(scanRow.options) as ScanOptions), commandLine: scanRow.args, signal, progressIntervalMs: 500 };
      if (cur.rate > 0) {
        options.maxRate = cur.rate;
        // Rebalanced while the shard runs: the heartbeat recomputes cur.rate every second.
        options.maxRateNow = () => cur.rate;
        log(`shard ${d.scanId}/${d.vantage || '-'}#${d.idx}: rate cap ${cur.rate}/s`);
      }
      if (o.backend) options.backend = o.backend;
      const t0 = Date.now();
      let storeMs = 0;
      let scanMs = 0;
      const run = await scanShard(options, { index: d.idx, count: d.count }, seedOf(scanRow));
      let probes = 0;
      // Finished hosts are written in batches (one transaction per FLUSH_HOSTS hosts or FLUSH_MS).
      let pending: HostReport[] = [];
      let lastFlush = Date.now();
      const flush = async (): Promise<void> => {
        const batch = pending;
        pending = [];
        lastFlush = Date.now();
        await retrying(() => writeHosts(db, d.scanId, d.vantage, d.idx, id, batch), { signal });
        storeMs += Date.now() - lastFlush;
        cur.hosts += batch.length;
      };
      if (run) {
        for await (const ev of run) {
          if (ev.kind === 'start') {
            const info = JSON.stringify(ev.start.scanInfo);
            await retrying(() => db.updateTable('dist_scans').set({ scan_info: info }).where('id', '=', d.scanId).where('scan_info', 'is', null).execute());
          } else if (ev.kind === 'progress') cur.ports = ev.progress.portsDone;
          else if (ev.kind === 'host' && ev.host.complete) {
            pending.push(ev.host);
            if (pending.length >= FLUSH_HOSTS || Date.now() - lastFlush >= FLUSH_MS) await flush();
          } else if (ev.kind === 'end') {
            scanMs = Date.now() - t0;
            probes = ev.summary.probesSent;
            if (ev.summary.error) throw new FleetError(ev.summary.error);
            if (ev.summary.interrupted) {
              if (cur.abort.signal.aborted) return; // the scan was cancelled: nothing to redo
              throw new FleetError(o.signal?.aborted ? 'worker stopped mid-shard' : `shard exceeded its lease of ${scanRow.lease_seconds} s (raise --lease)`);
            }
          }
        }
      }
      await flush();
      await retrying(() => key(db.updateTable('dist_shards').set({ state: 'done', done_at: Date.now(), probes: Math.max(probes, cur.ports), hosts: cur.hosts })).execute());
      // Wake the coordinator now rather than on its next tick (notify.ts).
      await sql`select pg_notify(${SCAN_CHANNEL}, ${String(d.scanId)})`.execute(db).catch(() => {});
      await retrying(() =>
        db
          .updateTable('fleet_workers')
          .set((eb) => ({ shards_done: eb('shards_done', '+', 1), probes: eb('probes', '+', probes) }))
          .where('id', '=', id)
          .execute(),
      );
      log(`shard ${d.scanId}/${d.vantage || '-'}#${d.idx}: done, ${cur.hosts} hosts in ${((Date.now() - t0) / 1000).toFixed(2)} s (scan ${(scanMs / 1000).toFixed(2)} s, awaiting the store ${(storeMs / 1000).toFixed(2)} s)`);
    };
    const queues = [queueName(VERSION, ''), ...labels.map((l) => queueName(VERSION, l))];
    for (const q of queues) {
      await ensureQueue(boss, q);
      workIds.push(await boss.work<ShardJob>(q, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, handler));
    }
    // New shards: fetch now, not at the end of pg-boss's polling interval (notify.ts).
    const b = boss;
    wake = listen(store.location.target, SHARDS_CHANNEL, () => {
      for (const w of workIds) b.notifyWorker(w);
    });
    log(`worker ${id} (portscope ${VERSION}) waiting for shards on ${queues.join(', ')}`);
    await new Promise<void>((resolve) => {
      if (o.signal?.aborted) resolve();
      o.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    return { id, shards };
  } catch (err) {
    // A database or queue failure outside a shard (a shard's own errors go to pg-boss for a retry).
    if (err instanceof PortscopeError) throw err;
    throw new FleetError(`worker: ${describeDbError(err)}`);
  } finally {
    if (beat) clearInterval(beat);
    await wake?.close();
    // Graceful: pg-boss waits for the shard in hand (aborted above by the same signal) and fails it for a retry.
    await boss?.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
    await db
      .updateTable('fleet_workers')
      .set({ state: 'stopped', last_beat: Date.now() })
      .where('id', '=', id)
      .execute()
      .catch(() => {});
    await store.close();
  }
}

/** The walk's seed, chosen once when the scan was created (create.ts). */
function seedOf(row: { options: string; id: number }): string | number {
  return (JSON.parse(row.options) as { seed?: string | number }).seed ?? `portscope-dist-${row.id}`;
}

/** Running scans of another portscope version would never reach this worker's queue: say so and stop. */
async function refuseOtherVersions(store: HistoryStore): Promise<void> {
  const running = await store.raw.db.selectFrom('dist_scans').select(['id', 'version']).where('state', '=', 'running').execute();
  const other = running.filter((r) => r.version !== VERSION);
  if (other.length && !running.some((r) => r.version === VERSION)) {
    const r = other[0]!;
    throw new FleetError(
      `scan #${r.id} in ${store.location.display} belongs to portscope ${r.version}; this worker is portscope ${VERSION} and cannot take its shards (run a ${r.version} worker, or cancel it: portscope scan --cancel ${r.id})`,
    );
  }
}

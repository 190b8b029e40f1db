/**
 * The shard queue: pg-boss 10 (SKIP LOCKED fetches, retries, expiring leases, singleton keys) in its own
 * schema of the history database. One queue per portscope version and vantage label: a worker of another
 * version never sees a shard it might run differently (docs/fleet.md).
 */
import PgBoss from 'pg-boss';
import { describeDbError } from '../store/errors.js';
import { FleetError } from './errors.js';

export const QUEUE_SCHEMA = 'portscope_queue';
/** How often one process of the cluster expires lost leases (pg-boss maintenance; the lease itself is per job). */
const MAINTENANCE_SECONDS = 2;
/** A shard is retried this many times (lost lease, worker error) before the scan fails. */
export const SHARD_RETRIES = 8;

export interface ShardJob {
  scanId: number;
  vantage: string;
  idx: number;
  count: number;
  version: string;
}

/** `portscope.shards.<version>[.<label>]`; pg-boss names allow letters, digits, - _ . / */
export function queueName(version: string, vantage: string): string {
  const v = version.replace(/[^A-Za-z0-9_.-]/g, '_');
  return vantage ? `portscope.shards.${v}.${vantage}` : `portscope.shards.${v}`;
}

export const LABEL_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

/** Workers run pg-boss's maintenance (expiring lost leases); a coordinator only enqueues and cancels (`supervise` false). */
export async function openQueue(url: string, display: string, onError: (err: Error) => void, supervise = true): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: QUEUE_SCHEMA, max: 4, maintenanceIntervalSeconds: MAINTENANCE_SECONDS, application_name: 'portscope', supervise, schedule: false });
  // pg-boss reports lost connections (a PostgreSQL restart) as events and keeps polling: the workers and
  // the coordinator carry on when the server is back.
  boss.on('error', onError);
  try {
    await boss.start();
  } catch (err) {
    await boss.stop({ graceful: false, wait: false }).catch(() => {});
    throw new FleetError(`cannot start the shard queue in ${display}: ${describeDbError(err)}`);
  }
  return boss;
}

/**
 * Create the queue unless it exists. Workers starting together race in pg-boss's create_queue (it creates
 * a partition: concurrent calls can deadlock or hit a duplicate key); the losers find the queue on a retry.
 */
export async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (await boss.getQueue(name)) return;
    try {
      await boss.createQueue(name, { name, retryLimit: SHARD_RETRIES, retryDelay: 0 });
      return;
    } catch (err) {
      if (await boss.getQueue(name)) return;
      if (attempt >= 5) throw new FleetError(`cannot create the shard queue ${name}: ${describeDbError(err)}`);
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    }
  }
}

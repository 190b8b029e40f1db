/**
 * Versioned schema migrations, applied in order, each in the same write-locked transaction as its row in
 * `portscope_schema`, so two processes opening a fresh database at once apply each step exactly once.
 * Never edit a released migration: add the next one.
 */
import type { Kysely } from 'kysely';
import { sql } from './kysely.js';
import type { Database } from './schema.js';
import { StoreError } from './errors.js';

/** Port states history follows; migration 1's partial index is built on exactly these (rows.ts). */
// A migration is history: it keeps the state set as it was written (model/port-state.ts's MAYBE_OPEN_STATES
// today); changing that set later needs a new migration, not an edit here.
const INTERESTING = ['open', 'open|filtered', 'unfiltered'] as const;

export type Dialect = 'sqlite' | 'postgres';

interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Database>, dialect: Dialect): Promise<void>;
}

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'scans, hosts, ports, services, schedules',
    async up(db, dialect) {
      // Auto-increment ids: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT never reuses ids (sqlite.org/autoinc.html),
      // PostgreSQL's serial is a sequence; both are what users see as scan ids.
      const idCol = (t: 'scans' | 'schedules') =>
        dialect === 'postgres' ? db.schema.createTable(t).addColumn('id', 'serial', (c) => c.primaryKey()) : db.schema.createTable(t).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await idCol('scans')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint', (c) => c.notNull())
        .addColumn('scanner', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('file', 'text')
        .addColumn('interrupted', 'integer', (c) => c.notNull())
        .addColumn('schedule_id', 'integer')
        .addColumn('hosts_total', 'integer', (c) => c.notNull())
        .addColumn('hosts_up', 'integer', (c) => c.notNull())
        .addColumn('open_ports', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scans_by_schedule').on('scans').columns(['schedule_id', 'id']).execute();
      await db.schema
        .createTable('hosts')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('hostname', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text', (c) => c.notNull())
        .addUniqueConstraint('hosts_scan_address', ['scan_id', 'address'])
        .execute();
      await db.schema.createIndex('hosts_by_address').on('hosts').columns(['address', 'scan_id']).execute();
      await db.schema.createIndex('hosts_by_hostname').on('hosts').columns(['hostname']).execute();
      // WITHOUT ROWID: the primary key is the row's identity, one B-tree instead of two (sqlite.org/withoutrowid.html).
      const withoutRowid = <T extends { modifyEnd(s: ReturnType<typeof sql>): T }>(b: T): T => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b);
      await withoutRowid(
        db.schema
          .createTable('ports')
          .addColumn('host_id', 'integer', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
          .addColumn('protocol', 'text', (c) => c.notNull())
          .addColumn('port', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('ports_pk', ['host_id', 'protocol', 'port']),
      ).execute();
      // history: which ports of a host were ever open, without reading its closed ones (a partial index,
      // supported by both SQLite and PostgreSQL).
      await db.schema
        .createIndex('ports_interesting')
        .on('ports')
        .columns(['host_id', 'protocol', 'port'])
        .where(
          sql.ref('state'),
          'in',
          [...INTERESTING].map((s) => sql.lit(s)),
        )
        .execute();
      await withoutRowid(
        db.schema
          .createTable('services')
          .addColumn('host_id', 'integer', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
          .addColumn('protocol', 'text', (c) => c.notNull())
          .addColumn('port', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('product', 'text')
          .addColumn('version', 'text')
          .addColumn('extrainfo', 'text')
          .addColumn('method', 'text')
          .addColumn('conf', 'integer')
          .addPrimaryKeyConstraint('services_pk', ['host_id', 'protocol', 'port']),
      ).execute();
      await idCol('schedules')
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('every_ms', 'bigint', (c) => c.notNull())
        .addColumn('next_run_at', 'bigint', (c) => c.notNull())
        .addColumn('last_scan_id', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    version: 2,
    name: 'audits, audit_findings',
    async up(db, dialect) {
      const idCol = dialect === 'postgres' ? db.schema.createTable('audits').addColumn('id', 'serial', (c) => c.primaryKey()) : db.schema.createTable('audits').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await idCol
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull())
        .addColumn('policy_path', 'text')
        .addColumn('policy_hash', 'text')
        .addColumn('targets', 'text', (c) => c.notNull())
        // Deleting the scan keeps the audit (its findings carry their own evidence).
        .addColumn('scan_id', 'integer', (c) => c.references('scans.id').onDelete('set null'))
        .addColumn('fail_on', 'text', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('critical', 'integer', (c) => c.notNull())
        .addColumn('high', 'integer', (c) => c.notNull())
        .addColumn('medium', 'integer', (c) => c.notNull())
        .addColumn('low', 'integer', (c) => c.notNull())
        .addColumn('info', 'integer', (c) => c.notNull())
        .addColumn('ignored', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_findings')
        .addColumn('audit_id', 'integer', (c) => c.notNull().references('audits.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('remediation', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_findings_pk', ['audit_id', 'seq'])
        .execute();
      // "When did this finding first appear?" follows one fingerprint across audits.
      await db.schema.createIndex('audit_findings_by_fingerprint').on('audit_findings').columns(['fingerprint', 'audit_id']).execute();
    },
  },
  // ---- fleet (issue 14): machines and their saved inside views (store/fleet-write.ts) ----
  {
    version: 3,
    name: 'machines, listening_snapshots, listening_sockets',
    async up(db, dialect) {
      await db.schema
        .createTable('machines')
        .addColumn('machine_id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('addresses', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .execute();
      const idCol =
        dialect === 'postgres' ? db.schema.createTable('listening_snapshots').addColumn('id', 'serial', (c) => c.primaryKey()) : db.schema.createTable('listening_snapshots').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await idCol
        .addColumn('machine_id', 'text', (c) => c.notNull().references('machines.machine_id').onDelete('cascade'))
        .addColumn('taken_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('addresses', 'text', (c) => c.notNull())
        .execute();
      // "the latest inside view of each machine" reads one index range per machine.
      await db.schema.createIndex('listening_snapshots_by_machine').on('listening_snapshots').columns(['machine_id', 'taken_at']).execute();
      await db.schema
        .createTable('listening_sockets')
        .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('listening_snapshots.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('family', 'integer', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('exposure', 'text', (c) => c.notNull())
        .addColumn('dual_stack', 'integer')
        .addColumn('processes', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('listening_sockets_pk', ['snapshot_id', 'seq'])
        .execute();
    },
  },
  // ---- end fleet ----
  // ---- distributed scans (issue 14): src/fleet/; the queue itself is pg-boss's own schema ----
  {
    version: 4,
    name: 'dist_scans, dist_shards, dist_hosts, dist_ports, fleet_workers, fleet_meta',
    async up(db, dialect) {
      const serial = dialect === 'postgres' ? db.schema.createTable('dist_scans').addColumn('id', 'serial', (c) => c.primaryKey()) : db.schema.createTable('dist_scans').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await serial
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('args', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('shards', 'integer', (c) => c.notNull())
        .addColumn('vantages', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('max_rate', 'integer')
        .addColumn('max_rate_per_worker', 'integer')
        .addColumn('rate_per_worker', 'integer')
        .addColumn('lease_seconds', 'integer', (c) => c.notNull())
        .addColumn('scan_info', 'text')
        .addColumn('ended_at', 'bigint')
        .addColumn('error', 'text')
        .addColumn('history_scan_ids', 'text')
        .addColumn('save_history', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('dist_shards')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('dist_scans.id').onDelete('cascade'))
        .addColumn('vantage', 'text', (c) => c.notNull())
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('worker', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('probes', 'bigint', (c) => c.notNull())
        .addColumn('hosts', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint')
        .addColumn('done_at', 'bigint')
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('dist_shards_pk', ['scan_id', 'vantage', 'idx'])
        .execute();
      await db.schema
        .createTable('dist_hosts')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('dist_scans.id').onDelete('cascade'))
        .addColumn('vantage', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        // A host's ports may fall into several shards of the walk: one row per shard, merged on reading.
        .addColumn('shard', 'integer', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('worker', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dist_hosts_pk', ['scan_id', 'vantage', 'address', 'shard'])
        .execute();
      // Idempotent results: a shard redone after a lost lease writes the same keys; the first write stays.
      await db.schema
        .createTable('dist_ports')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('dist_scans.id').onDelete('cascade'))
        .addColumn('vantage', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dist_ports_pk', ['scan_id', 'vantage', 'address', 'protocol', 'port'])
        .execute();
      await db.schema
        .createTable('fleet_workers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('max_rate', 'integer')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('last_beat', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('shards_done', 'integer', (c) => c.notNull())
        .addColumn('probes', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('fleet_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // ---- end distributed ----
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Bring the schema up to date. `lock` runs a callback inside a transaction that holds the database's
 * write lock (store.ts): BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL.
 */
export async function migrate(
  _db: Kysely<Database>, // unused since every step runs inside `lock`'s transaction; kept for callers
  dialect: Dialect,
  lock: <T>(fn: (trx: Kysely<Database>) => Promise<T>) => Promise<T>,
  where: string,
  /** Stop after this version (tests build a database as an older portscope left it). */
  upTo: number = SCHEMA_VERSION,
): Promise<void> {
  const current = await lock(async (trx) => {
    await trx.schema
      .createTable('portscope_schema')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    return currentVersion(trx);
  });
  if (current > SCHEMA_VERSION) {
    throw new StoreError(`history database ${where} has schema version ${current}, newer than this portscope supports (${SCHEMA_VERSION}); upgrade portscope`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > upTo) continue;
    await lock(async (trx) => {
      if ((await currentVersion(trx)) >= m.version) return; // another process got there first
      await m.up(trx, dialect);
      await trx.insertInto('portscope_schema').values({ version: m.version, name: m.name, applied_at: Date.now() }).execute();
    });
  }
}

async function currentVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('portscope_schema')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

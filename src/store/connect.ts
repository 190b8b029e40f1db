/**
 * Opening a Kysely instance on SQLite (better-sqlite3, or node:sqlite: sqlite-driver.ts) or PostgreSQL (pg), and the one transaction shape
 * every write uses: `writeTx` holds the database's write lock from its first statement.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from './kysely.js';
import { describeDbError, StoreError } from './errors.js';
import type { DbLocation } from './location.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { openSqlite, type SqliteDriverName, type SqliteHandle } from './sqlite-driver.js';

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite driver in use (undefined on PostgreSQL). */
  sqliteDriver?: SqliteDriverName;
  /** Run fn in a transaction holding the write lock; commit on success, roll back on error. */
  writeTx<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
}

/** How long a writer waits for another process's write to finish before giving up (SQLite busy_timeout). */
const BUSY_TIMEOUT_MS = 60_000;
/** Any fixed number: PostgreSQL advisory locks are keyed by one bigint chosen by the application. */
const PG_LOCK_KEY = 0x706f7274; // "port"

/** Drivers are loaded on first use: a SQLite user never loads pg, and `import portscope` loads neither. */
export async function connect(loc: DbLocation): Promise<Connection> {
  if (loc.kind === 'postgres') return connectPostgres(loc, (await import('pg')).default);
  return connectSqlite(loc);
}

function connectSqlite(loc: DbLocation): Connection {
  let raw: SqliteHandle;
  try {
    if (loc.isDefault) mkdirSync(dirname(loc.target), { recursive: true });
    raw = openSqlite(loc.target);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`cannot open history database ${loc.display}: ${describeDbError(err)}`);
  }
  try {
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL: readers never block the writer and a killed writer leaves the last committed state
    // (sqlite.org/wal.html). synchronous=NORMAL keeps WAL durable across process death; only power loss
    // can lose the last commits (sqlite.org/pragma.html#pragma_synchronous).
    const mode = raw.pragma('journal_mode = WAL');
    if (String(mode).toLowerCase() !== 'wal') raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    // 64 MiB page cache (default 2 MiB): a 655,360-port save touches far more index pages than that.
    raw.pragma('cache_size = -65536');
  } catch (err) {
    raw.database.close();
    throw new StoreError(`cannot open history database ${loc.display}: ${describeDbError(err)}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw.database }) });
  const fileKey = realpathOr(loc.target);
  return {
    db,
    dialect: 'sqlite',
    sqliteDriver: raw.driver,
    // BEGIN IMMEDIATE takes the write lock at once, waiting up to busy_timeout for another writer. A plain
    // (deferred) BEGIN that reads first can fail with SQLITE_BUSY without waiting when it later needs to
    // write after another process committed (sqlite.org/lang_transaction.html).
    writeTx: (fn) =>
      serialised(fileKey, () =>
        db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          try {
            const result = await fn(conn);
            await sql`commit`.execute(conn);
            return result;
          } catch (err) {
            await sql`rollback`.execute(conn).catch(() => {});
            throw err;
          }
        }),
      ),
  };
}

/**
 * Writers on one file inside one process take turns here first. better-sqlite3 and node:sqlite are synchronous: a second
 * connection waiting in busy_timeout would block the event loop, so the first connection (mid-transaction,
 * awaiting) could never commit, a deadlock until the timeout. Other processes are handled by SQLite's lock.
 */
const fileQueues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = fileQueues.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => {});
  fileQueues.set(key, tail);
  void tail.then(() => {
    if (fileQueues.get(key) === tail) fileQueues.delete(key);
  });
  return run;
}

function connectPostgres(loc: DbLocation, pg: typeof import('pg').default): Connection {
  const pool = new pg.Pool({ connectionString: loc.target, max: 4, connectionTimeoutMillis: 10_000 });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    // Inserts need no lock on PostgreSQL; the advisory lock serialises migrations and schedule updates,
    // which read then write.
    writeTx: (fn) =>
      db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
        return fn(trx);
      }),
  };
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The SQLite driver under Kysely: better-sqlite3 when its compiled binary loads, else Node's own `node:sqlite`
 * (Node 22.5+, no flag from 22.13), so history keeps working where better-sqlite3 could not be built (no
 * compiler at install, `--ignore-scripts`, another Node's ABI). PORTSCOPE_SQLITE_DRIVER=better-sqlite3|node:sqlite
 * chooses one explicitly (tests run the store suite on both).
 */
import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { StoreError } from './errors.js';

export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';
export const SQLITE_DRIVERS: readonly SqliteDriverName[] = ['better-sqlite3', 'node:sqlite'];

/** An open SQLite file: what Kysely's SqliteDialect needs, plus PRAGMA access. */
export interface SqliteHandle {
  driver: SqliteDriverName;
  database: SqliteDatabase;
  /** Run one PRAGMA statement; returns the first column of its first row (undefined if none). */
  pragma(statement: string): unknown;
}

/** Whether a driver can be used in this process, and if not, why (shown by `portscope doctor`). */
export interface DriverProbe {
  name: SqliteDriverName;
  available: boolean;
  detail: string;
}

const require = createRequire(import.meta.url);
const probes = new Map<SqliteDriverName, DriverProbe>();

/** Loads (once) and reports a driver; never throws. */
export function probeSqliteDriver(name: SqliteDriverName): DriverProbe {
  let probe = probes.get(name);
  if (!probe) {
    probe = name === 'better-sqlite3' ? probeBetterSqlite() : probeNodeSqlite();
    probes.set(name, probe);
  }
  return probe;
}

/** Opens `path` with the chosen driver, or the first that loads; a StoreError naming the fix when none does. */
export function openSqlite(path: string, env: NodeJS.ProcessEnv = process.env): SqliteHandle {
  const forced = env.PORTSCOPE_SQLITE_DRIVER;
  if (forced !== undefined && forced !== '' && !SQLITE_DRIVERS.includes(forced as SqliteDriverName)) {
    throw new StoreError(`PORTSCOPE_SQLITE_DRIVER="${forced}" is not a SQLite driver (use ${SQLITE_DRIVERS.join(' or ')})`);
  }
  const order = forced ? [forced as SqliteDriverName] : SQLITE_DRIVERS;
  for (const name of order) {
    if (probeSqliteDriver(name).available) return name === 'better-sqlite3' ? openBetterSqlite(path) : openNodeSqlite(path);
  }
  throw new StoreError(noDriverMessage(order.map(probeSqliteDriver)));
}

function noDriverMessage(tried: DriverProbe[]): string {
  const why = tried.map((p) => `${p.name}: ${p.detail}`).join('; ');
  return `no SQLite driver for the history (${why}); fix: \`npm rebuild better-sqlite3\` in portscope's folder (needs g++ and make), or run on Node 22.5+ (node:sqlite), or use --db postgres://…`;
}

// ---- better-sqlite3 ----

type BetterSqlite = typeof import('better-sqlite3');

function probeBetterSqlite(): DriverProbe {
  try {
    const Driver = require('better-sqlite3') as BetterSqlite;
    // The compiled binary is loaded by the first Database, not by require(): open one to know it loads.
    new Driver(':memory:').close();
    return { name: 'better-sqlite3', available: true, detail: `better-sqlite3 ${packageVersion('better-sqlite3')}` };
  } catch (err) {
    return { name: 'better-sqlite3', available: false, detail: oneLine(err) };
  }
}

function openBetterSqlite(path: string): SqliteHandle {
  const Driver = require('better-sqlite3') as BetterSqlite;
  const raw = new Driver(path);
  return { driver: 'better-sqlite3', database: raw, pragma: (s) => raw.pragma(s, { simple: true }) };
}

// ---- node:sqlite ----

/** The part of node:sqlite's API used here (@types/node 20 has no types for it). */
interface NodeStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate?(...params: unknown[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string) => NodeDatabase;
}

let nodeSqlite: NodeSqliteModule | undefined;

function probeNodeSqlite(): DriverProbe {
  try {
    nodeSqlite = loadNodeSqlite();
    return { name: 'node:sqlite', available: true, detail: `node:sqlite (Node ${process.versions.node}, SQLite ${process.versions.sqlite ?? '?'})` };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const detail = code === 'ERR_UNKNOWN_BUILTIN_MODULE' || code === 'MODULE_NOT_FOUND' ? `not in Node ${process.versions.node} (needs 22.13+, or 22.5+ with --experimental-sqlite)` : oneLine(err);
    return { name: 'node:sqlite', available: false, detail };
  }
}

/**
 * Loading node:sqlite emits one ExperimentalWarning ("SQLite is an experimental feature…") on Node 22 and 24.
 * portscope chose it knowingly as a fallback, so exactly that warning is dropped, while it loads
 * (synchronously, via require); every other warning passes through unchanged.
 */
function loadNodeSqlite(): NodeSqliteModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const message = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : ((rest[0] as { type?: string } | undefined)?.type ?? (warning as Error).name);
    if (type === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(message)) return;
    return (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return require('node:sqlite') as NodeSqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}

function openNodeSqlite(path: string): SqliteHandle {
  const raw = new nodeSqlite!.DatabaseSync(path);
  const database: SqliteDatabase = {
    close: () => raw.close(),
    prepare: (sql) => statement(raw.prepare(sql), sql),
  };
  return {
    driver: 'node:sqlite',
    database,
    pragma: (s) => {
      const row = raw.prepare(`pragma ${s}`).get() as Record<string, unknown> | undefined;
      return row ? Object.values(row)[0] : undefined;
    },
  };
}

/** Kysely's statement shape over node:sqlite's (parameters spread instead of an array; `reader` computed). */
function statement(stmt: NodeStatement, sql: string): SqliteStatement {
  // columns() (Node 22.16+) is exact: a statement returns rows iff it has result columns. Older 22.x: the text.
  const reader = stmt.columns ? stmt.columns().length > 0 : /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i.test(sql);
  return {
    reader,
    all: (params) => stmt.all(...params),
    run: (params) => stmt.run(...params),
    iterate: (params) => (stmt.iterate ? stmt.iterate(...params) : stmt.all(...params)[Symbol.iterator]()),
  };
}

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** A driver's error on one line: Node's ABI mismatch message spans lines ("The module '…'\nwas compiled against…"). */
function oneLine(err: unknown): string {
  const text = ((err as Error)?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

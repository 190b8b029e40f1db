/**
 * The store suite (test/unit/store/store-suite.ts) against a real PostgreSQL: a throwaway cluster (initdb +
 * pg_ctl as the `postgres` user, in a temp dir, on a free loopback port), one database per test, removed at
 * the end. Needs root and Debian's postgresql package; skipped outside CI without them, failing in CI.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { auditSuite } from '../unit/store/audit-suite.js';
import { storeSuite } from '../unit/store/store-suite.js';

function pgBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

function unavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (runs the server as the postgres user)';
  if (!pgBinDir()) return 'needs PostgreSQL (apt-get install postgresql)';
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    return 'needs the postgres user (apt-get install postgresql)';
  }
  return null;
}

const reason = unavailable();
const skip = reason !== null && process.env.CI !== 'true' ? `PostgreSQL store tests: ${reason}` : false;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', () => res()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

let dir = '';
let port = 0;
let bin = '';
let n = 0;

const asPostgres = (cmd: string, args: string[]): void => {
  execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
};

before(async () => {
  if (skip) return;
  if (reason) throw new Error(`PostgreSQL store tests cannot run in CI: ${reason}`);
  bin = pgBinDir()!;
  dir = mkdtempSync(join(tmpdir(), 'portscope-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dir, uid, gid);
  port = await freePort();
  asPostgres('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  // fsync off: a throwaway cluster; listen on loopback only, socket in the temp dir (not /run/postgresql).
  asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
});

after(() => {
  if (!dir) return;
  try {
    asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A new, empty database on the throwaway cluster. */
async function freshDatabase(): Promise<string> {
  const name = `portscope_t${++n}`;
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return `postgres://postgres@127.0.0.1:${port}/${name}`;
}

storeSuite('postgres', freshDatabase, { skip });
auditSuite('postgres', freshDatabase, { skip });

test('postgres: an unreachable server is one StoreError line naming the URL without its password', { skip }, async () => {
  const { HistoryStore, StoreError } = await import('../../src/store/index.js');
  const closed = await freePort();
  const assert = (await import('node:assert/strict')).default;
  await assert.rejects(HistoryStore.open(`postgres://u:secret@127.0.0.1:${closed}/x`, {}), (e: unknown) => {
    const m = (e as Error).message;
    return e instanceof StoreError && m.includes(`127.0.0.1:${closed}`) && !m.includes('secret') && !m.includes('\n');
  });
});

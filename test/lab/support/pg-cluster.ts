/**
 * A throwaway PostgreSQL cluster for lab tests (initdb + pg_ctl as the postgres user, in a temp dir), reached
 * through its unix socket so that processes in any network namespace can use it
 * (postgres://postgres@/DB?host=DIR). Also a password user for wrong-password tests, and restart().
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export function pgBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** Why a cluster cannot be started here, or null. */
export function pgUnavailableReason(): string | null {
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

export const PASSWORD_USER = 'portscope_pw';
export const PASSWORD = 'right-password';

export class PgCluster {
  readonly dir: string;
  readonly #bin: string;
  #n = 0;

  private constructor(dir: string, bin: string) {
    this.dir = dir;
    this.#bin = bin;
  }

  static async start(): Promise<PgCluster> {
    const bin = pgBinDir();
    if (!bin) throw new Error('PostgreSQL is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'portscope-pgc-'));
    chmodSync(dir, 0o755);
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    const c = new PgCluster(dir, bin);
    c.#pg('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    // Password user first (scram), everyone else trusted: a wrong password is a real authentication failure.
    writeFileSync(join(dir, 'data', 'pg_hba.conf'), `local all ${PASSWORD_USER} scram-sha-256\nlocal all all trust\n`);
    c.#start();
    const admin = await c.admin();
    try {
      await admin.query(`create role ${PASSWORD_USER} login superuser password '${PASSWORD}'`);
    } finally {
      await admin.end();
    }
    return c;
  }

  #pg(cmd: string, args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', join(this.#bin, cmd), ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  }

  // Unix socket only (no TCP): reachable from every namespace through the file system. fsync off: throwaway.
  #start(): void {
    this.#pg('pg_ctl', ['-D', join(this.dir, 'data'), '-l', join(this.dir, 'log'), '-w', '-o', `-k ${this.dir} -c listen_addresses= -c fsync=off -c max_connections=200`, 'start']);
  }

  /** Stop as a crash would (immediate) and start again: clients lose their connections. */
  restart(): void {
    this.#pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    this.#start();
  }

  stopNow(): void {
    this.#pg('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  startAgain(): void {
    this.#start();
  }

  url(db: string, user = 'postgres', password?: string): string {
    return `postgres://${user}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@/${db}?host=${encodeURIComponent(this.dir)}`;
  }

  async admin(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: this.url('postgres') });
    await c.connect();
    return c;
  }

  /** A new empty database; returns its URL. */
  async freshDatabase(): Promise<string> {
    const name = `portscope_${process.pid}_${++this.#n}`;
    const admin = await this.admin();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    return this.url(name);
  }

  close(): void {
    try {
      this.stopNow();
    } catch {
      // already stopped
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

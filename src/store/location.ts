/**
 * Where the history lives: `--db PATH` (a SQLite file), `--db postgres://…` (PostgreSQL), else $PORTSCOPE_DB,
 * else the user's data directory per the XDG Base Directory spec: $XDG_DATA_HOME/portscope/history.db, with
 * XDG_DATA_HOME defaulting to ~/.local/share (specifications.freedesktop.org/basedir-spec).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from './errors.js';

export interface DbLocation {
  kind: 'sqlite' | 'postgres';
  /** File path or connection URL. */
  target: string;
  /** How messages name it: the path, or the URL without its password. */
  display: string;
  /** True for the default file: its directory is created on first use. */
  isDefault: boolean;
}

export function resolveDbLocation(spec: string | undefined, env: NodeJS.ProcessEnv = process.env): DbLocation {
  const given = spec ?? (env.PORTSCOPE_DB || undefined);
  if (given === undefined) {
    const base = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
    const path = join(base, 'portscope', 'history.db');
    return { kind: 'sqlite', target: path, display: path, isDefault: true };
  }
  if (given === '') throw new StoreError('--db needs a file path or a postgres:// URL');
  if (/^postgres(ql)?:\/\//i.test(given)) {
    let url: URL;
    try {
      // `postgres://user@/db?host=/socket/dir` (a unix socket, libpq's form) has an empty host, which WHATWG
      // URL parsing refuses with credentials: parse it with a placeholder host, only to mask the password.
      url = new URL(/^postgres(ql)?:\/\/[^/]*@\//i.test(given) ? given.replace('@/', '@unix-socket/') : given);
    } catch {
      throw new StoreError(`invalid PostgreSQL URL "${given}" (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)`);
    }
    if (url.password) url.password = '***';
    return { kind: 'postgres', target: given, display: url.toString().replace('@unix-socket/', '@/'), isDefault: false };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(given)) throw new StoreError(`unsupported database URL "${given}": use a file path or postgres://`);
  return { kind: 'sqlite', target: given, display: given, isDefault: false };
}

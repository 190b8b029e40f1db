import { PortscopeError } from '../model/index.js';

/**
 * The history database cannot be opened, read or written (read-only file, full disk, server down,
 * unknown scan id). The message names the database and the cause in one line.
 */
export class StoreError extends PortscopeError {
  constructor(message: string) {
    super('E_STORE', message);
  }
}

/** One line for a driver error: SQLite's and PostgreSQL's codes are more telling than their stacks. */
export function describeDbError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = (e?.message ?? String(err)).split('\n')[0]!;
  return e?.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}

/**
 * Riding out a PostgreSQL restart: statements that fail because the server is gone (connection refused,
 * socket missing, admin shutdown, "starting up") are retried with backoff for up to `maxMs`; any other
 * error is thrown at once. pg's Pool opens fresh connections for the retries.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, starting up). */
const TRANSIENT_CODES = /^(08|57P0[1-3])/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EPIPE', 'ETIMEDOUT']);
const TRANSIENT_TEXT = /Connection terminated|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error|timeout exceeded when trying to connect|Connection ended/i;

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (typeof e?.code === 'string' && (TRANSIENT_CODES.test(e.code) || TRANSIENT_ERRNO.has(e.code))) return true;
  if (typeof e?.message === 'string' && TRANSIENT_TEXT.test(e.message)) return true;
  return e?.cause !== undefined && e.cause !== err && isTransient(e.cause);
}

export async function retrying<T>(fn: () => Promise<T>, opts: { maxMs?: number; signal?: AbortSignal } = {}): Promise<T> {
  const deadline = Date.now() + (opts.maxMs ?? 120_000);
  let delay = 200;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || Date.now() + delay > deadline || opts.signal?.aborted) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, 2000);
    }
  }
}

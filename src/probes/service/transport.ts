/**
 * One conversation with a port: dial (plain TCP or TLS, through whatever StreamDialer the scan uses),
 * optionally send a payload, read the answer with a deadline, an idle cut-off and a byte cap. Every probe
 * gets a fresh connection, so a service that closes after an unexpected request cannot spoil the next
 * probe. Opens no socket itself: the dialer does, paced by the engine.
 */
import type { TlsInfo } from '../../model/index.js';
import type { Stream, StreamDialer, TLSSocket } from '../../net/index.js';
import { describeTls } from './tls-info.js';

export interface ExchangeOptions {
  address: string;
  port: number;
  tls: boolean;
  payload?: Uint8Array;
  /** Whole conversation deadline (connect + handshake + answer). */
  waitMs: number;
  /** Once connected (and handshaken), read for at most this long: a shorter budget than waitMs. */
  readWaitMs?: number;
  /** Stop this long after the last byte arrived (the answer seems complete). */
  idleMs: number;
  /** Keep at most this many bytes; reading stops there (a flooding service cannot grow memory). */
  maxBytes: number;
  complete?: (data: Buffer) => boolean;
  /** ALPN protocols to offer in a TLS handshake. */
  alpn?: string[];
  signal?: AbortSignal;
}

export interface ExchangeResult {
  data: Buffer;
  /** TCP connected (and TLS handshake done, for tls). */
  connected: boolean;
  /** The peer closed or reset the connection. */
  closed: boolean;
  /** Why the connection failed, e.g. a TLS alert or ECONNRESET. */
  error?: string;
  tls?: TlsInfo;
}

export async function exchange(dialer: StreamDialer, o: ExchangeOptions): Promise<ExchangeResult> {
  // One controller per conversation, linked to the caller's signal by one listener: the deadline and the
  // caller's abort both end the dial and the read.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (o.signal?.aborted) stop.abort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  let deadline = setTimeout(() => stop.abort(), o.waitMs);
  const release = (): void => {
    clearTimeout(deadline);
    o.signal?.removeEventListener('abort', onAbort);
  };
  let socket: Stream;
  try {
    socket = await dialer.dial(o.address, o.port, { ...(o.tls ? { tls: { alpn: o.alpn ?? [] } } : {}), signal: stop.signal });
  } catch (err) {
    release();
    const code = (err as { code?: string }).code ?? (err as Error).message;
    // A deadline or a caller's stop before the connection stood is "not connected", not a peer's close.
    return code === 'ABORTED' ? { data: Buffer.alloc(0), connected: false, closed: false } : { data: Buffer.alloc(0), connected: false, closed: true, error: code };
  }
  if (o.readWaitMs !== undefined) {
    clearTimeout(deadline);
    deadline = setTimeout(() => stop.abort(), o.readWaitMs);
  }
  const tlsInfo = o.tls ? describeTls(socket as TLSSocket) : undefined;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let closed = false;
    let error: string | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      release();
      clearTimeout(idleTimer);
      stop.signal.removeEventListener('abort', finish);
      socket.removeAllListeners('data');
      socket.on('error', () => {}); // late errors after destroy must not become uncaught
      socket.destroy();
      const result: ExchangeResult = { data: Buffer.concat(chunks, size), connected: true, closed };
      if (error !== undefined) result.error = error;
      if (tlsInfo) result.tls = tlsInfo;
      resolve(result);
    };
    socket.on('data', (d: Buffer) => {
      const room = o.maxBytes - size;
      const keep = d.length > room ? d.subarray(0, room) : d;
      chunks.push(keep);
      size += keep.length;
      if (size >= o.maxBytes) return finish();
      if (isComplete(o.complete, Buffer.concat(chunks, size))) return finish();
      clearTimeout(idleTimer);
      idleTimer = setTimeout(finish, o.idleMs);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
      closed = true;
      finish();
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    if (stop.signal.aborted) return finish();
    stop.signal.addEventListener('abort', finish, { once: true });
    if (o.payload && o.payload.length > 0) socket.write(o.payload);
    socket.resume();
  });
}

/**
 * A probe's own completeness check runs on hostile bytes inside a socket 'data' listener, where a throw
 * would be an uncaught exception for the whole scan: a check that throws means "not complete yet" (the
 * idle timer and deadline still end the read), as a throwing matcher means "no match".
 */
function isComplete(check: ((data: Buffer) => boolean) | undefined, data: Buffer): boolean {
  if (!check) return false;
  try {
    return check(data);
  } catch {
    return false;
  }
}

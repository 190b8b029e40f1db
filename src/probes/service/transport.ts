/**
 * One conversation with a port: connect (plain TCP or TLS), optionally send a payload, read the answer with
 * a deadline, an idle cut-off and a byte cap. Every probe gets a fresh connection, so a service that closes
 * after an unexpected request cannot spoil the next probe. The only -sV module that opens sockets.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TlsInfo } from '../../model/index.js';
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

export function exchange(o: ExchangeOptions): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let connected = false;
    let closed = false;
    let error: string | undefined;
    let tlsInfo: TlsInfo | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(idleTimer);
      o.signal?.removeEventListener('abort', finish);
      socket.removeAllListeners('data');
      socket.on('error', () => {}); // late errors after destroy must not become uncaught
      socket.destroy();
      const result: ExchangeResult = { data: Buffer.concat(chunks, size), connected, closed };
      if (error !== undefined) result.error = error;
      if (tlsInfo) result.tls = tlsInfo;
      resolve(result);
    };
    let deadline = setTimeout(finish, o.waitMs);
    const onReady = (): void => {
      connected = true;
      if (o.readWaitMs !== undefined) {
        clearTimeout(deadline);
        deadline = setTimeout(finish, o.readWaitMs);
      }
      if (o.tls) tlsInfo = describeTls(socket as TLSSocket);
      if (o.payload && o.payload.length > 0) socket.write(o.payload);
    };
    const socket: Socket = o.tls
      ? tlsConnect({ host: o.address, port: o.port, rejectUnauthorized: false, ALPNProtocols: o.alpn ?? [], ...(isIp(o.address) ? {} : { servername: o.address }) }, onReady)
      : tcpConnect({ host: o.address, port: o.port }, onReady);
    socket.setNoDelay(true);
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
    if (o.signal?.aborted) finish();
    else o.signal?.addEventListener('abort', finish);
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

function isIp(a: string): boolean {
  return /^[\d.]+$/.test(a) || a.includes(':');
}

import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { negotiateSocks5, type ProxyEndpoint } from './socks5-handshake.js';

/** A connected byte stream; a TLSSocket when TLS was asked for. */
export type Stream = Socket;
export type { TLSSocket };

export interface DialOptions {
  /** Wrap the connection in TLS. Certificates are not verified: -sV describes a service, it does not trust it. */
  tls?: { alpn?: string[] };
  /** Aborting gives up the attempt (the promise rejects with code ABORTED and the socket is destroyed). */
  signal?: AbortSignal;
}

/**
 * Opens streams for the probes that talk to a service (-sV): direct or through a proxy. The returned stream
 * is connected (and handshaken, with TLS) and PAUSED: attach the 'data' listener, then resume(), so no byte
 * the service sent first is lost. The caller owns it from then on and destroys it.
 */
export interface StreamDialer {
  readonly name: string;
  dial(address: string, port: number, options?: DialOptions): Promise<Stream>;
}

/** Why a dial failed: an errno name (ECONNREFUSED, EHOSTUNREACH…), ABORTED, or EPROTO for a broken proxy. */
export class DialError extends Error {
  constructor(readonly code: string) {
    super(`connect failed: ${code}`);
    this.name = 'DialError';
  }
}

/** Connect straight to the target (TLS with SNI when the target is a name). */
export const directDialer: StreamDialer = {
  name: 'direct',
  dial(address, port, options = {}) {
    if (options.tls) {
      return settle(tlsConnect({ host: address, port, rejectUnauthorized: false, ALPNProtocols: options.tls.alpn ?? [], ...sni(address) }), 'secureConnect', options.signal);
    }
    return settle(netConnect({ host: address, port }), 'connect', options.signal);
  },
};

/** Each stream is one CONNECT through the SOCKS5 proxy (RFC 1928); TLS runs end to end inside it. */
export function socks5Dialer(proxy: ProxyEndpoint): StreamDialer {
  return {
    name: 'socks5',
    async dial(address, port, options = {}) {
      const raw = await settle(netConnect({ host: proxy.host, port: proxy.port }), 'connect', options.signal);
      try {
        await new Promise<void>((resolve, reject) => {
          const fail = (code: string): void => reject(new DialError(code));
          const onError = (err: NodeJS.ErrnoException): void => fail(err.code === 'ECONNRESET' ? 'EPROTO' : (err.code ?? 'EPROTO'));
          const onClose = (): void => fail('EPROTO');
          const onAbort = (): void => fail('ABORTED');
          const cleanup = (): void => {
            raw.off('error', onError);
            raw.off('close', onClose);
            options.signal?.removeEventListener('abort', onAbort);
          };
          raw.once('error', onError);
          raw.once('close', onClose);
          options.signal?.addEventListener('abort', onAbort, { once: true });
          raw.resume();
          negotiateSocks5(raw, proxy, address, port, (r) => {
            cleanup();
            raw.pause();
            if (r.kind === 'proxy-failure') return fail('EPROTO');
            if (r.rep !== 0) return fail(SOCKS_ERRNO[r.rep] ?? 'EPROTO');
            if (r.rest.length > 0) raw.unshift(r.rest);
            resolve();
          });
        });
      } catch (err) {
        raw.destroy();
        throw err;
      }
      if (!options.tls) return raw;
      return settle(tlsConnect({ socket: raw, rejectUnauthorized: false, ALPNProtocols: options.tls.alpn ?? [], ...sni(address) }), 'secureConnect', options.signal);
    },
  };
}

/** SOCKS5 reply codes (RFC 1928 section 6) as the errno a direct connect would have seen. */
const SOCKS_ERRNO: Record<number, string> = { 2: 'EACCES', 3: 'ENETUNREACH', 4: 'EHOSTUNREACH', 5: 'ECONNREFUSED', 6: 'ETIMEDOUT' };

function sni(address: string): { servername?: string } {
  return isIP(address) === 0 ? { servername: address } : {};
}

/** Resolve with the socket once `ready` fires (paused), reject on error or abort (socket destroyed). */
function settle<S extends Socket>(socket: S, ready: 'connect' | 'secureConnect', signal: AbortSignal | undefined): Promise<S> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      socket.off(ready, onReady);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (code: string): void => {
      cleanup();
      socket.on('error', () => {}); // late errors after destroy must not become uncaught
      socket.destroy();
      reject(new DialError(code));
    };
    const onReady = (): void => {
      cleanup();
      socket.pause();
      socket.setNoDelay(true);
      resolve(socket);
    };
    const onError = (err: NodeJS.ErrnoException): void => fail(err.code ?? err.message);
    const onClose = (): void => fail('ECONNRESET');
    const onAbort = (): void => fail('ABORTED');
    if (signal?.aborted) return fail('ABORTED');
    socket.once(ready, onReady);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

import { isIPv6, Socket } from 'node:net';
import { constants } from 'node:os';
import { OUTCOME_TIMEOUT, PROXY_BASE, type BackendFactory } from './backend.js';

export interface ProxyEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

const errnoByName = constants.errno as Record<string, number>;
/** Our own code for "the proxy itself failed" (unreachable, bad greeting): not an answer about the port. */
const PROXY_FAILURE = errnoByName.EPROTO ?? 71;

/**
 * Connect probes through a SOCKS5 proxy (RFC 1928, username/password auth RFC 1929). Each probe is one
 * proxy connection and one CONNECT request; the reply code says what the proxy saw (see classify.ts).
 */
export function socks5Backend(proxy: ProxyEndpoint): BackendFactory {
  return (onOutcomes) => {
    const live = new Set<Socket>();
    let closed = false;
    const deliver = (id: number, code: number, rttUs: number): void => {
      if (!closed) onOutcomes(Uint32Array.of(id), Int32Array.of(code), Uint32Array.of(rttUs));
    };

    const probe = (address: string, id: number, port: number, timeoutMs: number): void => {
      const started = process.hrtime.bigint();
      const socket = new Socket();
      live.add(socket);
      let done = false;
      let buf = Buffer.alloc(0);
      let stage: 'greeting' | 'auth' | 'connect' = 'greeting';
      const finish = (code: number): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        live.delete(socket);
        socket.destroy();
        deliver(id, code, Number((process.hrtime.bigint() - started) / 1000n));
      };
      // The proxy's own connect attempt may take longer than a direct probe; give the exchange 3 RTT budgets.
      const timer = setTimeout(() => finish(OUTCOME_TIMEOUT), timeoutMs * 3);
      socket.on('error', () => finish(PROXY_FAILURE));
      socket.on('close', () => finish(PROXY_FAILURE));
      socket.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        if (stage === 'greeting') {
          if (buf.length < 2) return;
          const method = buf[1];
          buf = buf.subarray(2);
          if (method === 0x00) {
            stage = 'connect';
            socket.write(connectRequest(address, port));
          } else if (method === 0x02 && proxy.username !== undefined) {
            stage = 'auth';
            socket.write(authRequest(proxy.username, proxy.password ?? ''));
          } else finish(PROXY_FAILURE);
        } else if (stage === 'auth') {
          if (buf.length < 2) return;
          if (buf[1] !== 0x00) return finish(PROXY_FAILURE);
          buf = buf.subarray(2);
          stage = 'connect';
          socket.write(connectRequest(address, port));
        } else {
          if (buf.length < 2) return;
          if (buf[0] !== 0x05) return finish(PROXY_FAILURE);
          finish(PROXY_BASE - (buf[1] ?? 1));
        }
      });
      socket.connect({ host: proxy.host, port: proxy.port }, () => {
        const methods = proxy.username !== undefined ? [0x00, 0x02] : [0x00];
        socket.write(Buffer.from([0x05, methods.length, ...methods]));
      });
    };

    return {
      name: 'socks5',
      submit(address, ids, ports, timeoutMs) {
        if (closed) return;
        for (let i = 0; i < ids.length; i++) probe(address, ids[i]!, ports[i]!, timeoutMs);
      },
      close() {
        closed = true;
        for (const s of live) s.destroy();
        live.clear();
      },
    };
  };
}

function connectRequest(address: string, port: number): Buffer {
  const portBytes = [port >> 8, port & 0xff];
  if (isIPv6(address)) return Buffer.from([0x05, 0x01, 0x00, 0x04, ...ipv6Bytes(address), ...portBytes]);
  return Buffer.from([0x05, 0x01, 0x00, 0x01, ...address.split('.').map(Number), ...portBytes]);
}

function authRequest(user: string, pass: string): Buffer {
  const u = Buffer.from(user);
  const p = Buffer.from(pass);
  return Buffer.concat([Buffer.from([0x01, u.length]), u, Buffer.from([p.length]), p]);
}

function ipv6Bytes(address: string): number[] {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** `socks5://[user:pass@]host:port` → endpoint; throws a plain Error with a message for the user. */
export function parseProxyUrl(url: string): ProxyEndpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`invalid --proxy "${url}": expected socks5://HOST:PORT`);
  }
  if (u.protocol !== 'socks5:' && u.protocol !== 'socks5h:') {
    throw new Error(`unsupported --proxy scheme "${u.protocol.replace(/:$/, '')}": only socks5:// is supported`);
  }
  const port = u.port ? Number(u.port) : 1080;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new Error(`invalid --proxy "${url}": no host`);
  const endpoint: ProxyEndpoint = { host, port };
  if (u.username) endpoint.username = decodeURIComponent(u.username);
  if (u.password) endpoint.password = decodeURIComponent(u.password);
  return endpoint;
}

import { Socket } from 'node:net';
import { constants } from 'node:os';
import { OUTCOME_TIMEOUT, PROXY_BASE, type BackendFactory } from './backend.js';
import { negotiateSocks5, type ProxyEndpoint } from './socks5-handshake.js';

export { parseProxyUrl, type ProxyEndpoint } from './socks5-handshake.js';

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
      socket.connect({ host: proxy.host, port: proxy.port }, () => {
        negotiateSocks5(socket, proxy, address, port, (r) => finish(r.kind === 'reply' ? PROXY_BASE - r.rep : PROXY_FAILURE));
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

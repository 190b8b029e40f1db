import { isIPv6, type Socket } from 'node:net';

export interface ProxyEndpoint {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** How a SOCKS5 negotiation ended: the proxy's reply code (0 = connected) or a failure of the proxy itself. */
export type Socks5Result = { kind: 'reply'; rep: number; rest: Buffer } | { kind: 'proxy-failure' };

/**
 * Negotiate a CONNECT to address:port on a socket already connected to the proxy (RFC 1928; username and
 * password auth, RFC 1929). Reads exactly the proxy's messages: bytes the target sent after the reply
 * (a greeting that arrived in the same segment) come back as `rest`. Calls `done` once; the caller owns
 * the socket's lifetime (errors, close, timeouts).
 */
export function negotiateSocks5(socket: Socket, proxy: ProxyEndpoint, address: string, port: number, done: (r: Socks5Result) => void): void {
  let buf: Buffer = Buffer.alloc(0);
  let stage: 'greeting' | 'auth' | 'connect' = 'greeting';
  let finished = false;
  const finish = (r: Socks5Result): void => {
    if (finished) return;
    finished = true;
    socket.off('data', onData);
    done(r);
  };
  const onData = (chunk: Buffer): void => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
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
      } else return finish({ kind: 'proxy-failure' });
      return;
    }
    if (stage === 'auth') {
      if (buf.length < 2) return;
      if (buf[1] !== 0x00) return finish({ kind: 'proxy-failure' });
      buf = buf.subarray(2);
      stage = 'connect';
      socket.write(connectRequest(address, port));
      return;
    }
    if (buf.length < 2) return;
    if (buf[0] !== 0x05) return finish({ kind: 'proxy-failure' });
    const rep = buf[1]!;
    // A failure reply ends the exchange; a success reply is read whole so no byte of it reaches the caller.
    if (rep !== 0) return finish({ kind: 'reply', rep, rest: Buffer.alloc(0) });
    const len = replyLength(buf);
    if (len === undefined || buf.length < len) return;
    finish({ kind: 'reply', rep, rest: buf.subarray(len) });
  };
  socket.on('data', onData);
  const methods = proxy.username !== undefined ? [0x00, 0x02] : [0x00];
  socket.write(Buffer.from([0x05, methods.length, ...methods]));
}

/** Length of a CONNECT reply (VER REP RSV ATYP BND.ADDR BND.PORT), or undefined until ATYP is known. */
function replyLength(buf: Buffer): number | undefined {
  if (buf.length < 5) return undefined;
  switch (buf[3]) {
    case 0x01:
      return 4 + 4 + 2;
    case 0x04:
      return 4 + 16 + 2;
    case 0x03:
      return 4 + 1 + buf[4]! + 2;
    default:
      return 4 + 4 + 2;
  }
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

import { createSocket, type Socket } from 'node:dgram';
import { constants } from 'node:os';
import { OUTCOME_DRY, OUTCOME_TIMEOUT } from './backend.js';

const errnoByName = constants.errno as Record<string, number>;

/** One UDP probe: a datagram to one port; `id` comes back with its outcome. */
export interface UdpProbe {
  id: number;
  port: number;
  payload: Buffer;
}

/**
 * How a UDP probe ended: code 0 = a datagram came back (`reply`), OUTCOME_TIMEOUT = silence, > 0 = the
 * errno the connected socket reported (ECONNREFUSED for ICMP port-unreachable, EHOSTUNREACH / ENETUNREACH /
 * EACCES for other unreachables that Linux reports as hard errors; net/ipv4/icmp.c icmp_err_convert,
 * net/ipv4/udp.c __udp4_lib_err reports only `fatal` codes on sockets without IP_RECVERR).
 */
export interface UdpOutcome {
  id: number;
  code: number;
  rttUs: number;
  /** Order in which the datagram left (per backend): the target handles probes in this order. */
  sentSeq: number;
  reply?: Buffer;
  /** The ICMP error itself, when the backend can read it (the native prober: IP_RECVERR). */
  icmp?: IcmpDetail;
}

/** Type and code of an ICMP (RFC 792) or ICMPv6 (RFC 4443) error. */
export interface IcmpDetail {
  v6: boolean;
  type: number;
  code: number;
}

export type UdpOutcomeHandler = (outcome: UdpOutcome) => void;

export interface UdpBackend {
  readonly name: string;
  /** `source`: a local address the probes' sockets bind to (-S); the kernel's choice when absent. */
  submit(address: string, family: 4 | 6, probes: readonly UdpProbe[], timeoutMs: number, source?: string): void;
  /** Abandon every probe in flight (no more outcomes) and close every socket. */
  close(): void;
}

export type UdpBackendFactory = (onOutcome: UdpOutcomeHandler) => UdpBackend;

/**
 * One connected dgram socket per probe. Connecting is what makes ICMP visible without raw sockets: Linux
 * queues an ICMP error on a connected UDP socket and the next receive fails with its errno, which Node
 * reports as an 'error' event (libuv uv__udp_recvmsg). An unconnected socket would never hear of it.
 */
export const dgramUdpBackend: UdpBackendFactory = (onOutcome) => {
  /** Sockets in flight and how to abandon each (stop its timer, close it once). */
  const live = new Map<Socket, () => void>();
  let closed = false;
  let seq = 0;

  const probe = (address: string, family: 4 | 6, p: UdpProbe, timeoutMs: number, source: string | undefined): void => {
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    let started = 0n;
    let sentSeq = -1;
    let done = false;
    const finish = (code: number, reply?: Buffer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      live.delete(socket);
      socket.close();
      if (closed) return;
      const rttUs = started === 0n ? 0 : Number((process.hrtime.bigint() - started) / 1000n);
      const o: UdpOutcome = { id: p.id, code, rttUs, sentSeq: sentSeq < 0 ? seq++ : sentSeq };
      if (reply) o.reply = reply;
      onOutcome(o);
    };
    const timer = setTimeout(() => finish(OUTCOME_TIMEOUT), timeoutMs + 5);
    live.set(socket, () => {
      done = true;
      clearTimeout(timer);
      socket.close();
    });
    socket.on('message', (msg) => finish(0, msg));
    socket.on('error', (err: NodeJS.ErrnoException) => finish((err.code && errnoByName[err.code]) || errnoByName.EIO || 5));
    const connect = (): void =>
      socket.connect(p.port, address, () => {
        if (done) return;
        started = process.hrtime.bigint();
        sentSeq = seq++;
        socket.send(p.payload, (err) => {
          if (err) finish((err as NodeJS.ErrnoException).code ? (errnoByName[(err as NodeJS.ErrnoException).code!] ?? 5) : 5);
        });
      });
    // -S: bind to the chosen source (any port) first, as the native prober does.
    if (source === undefined) connect();
    else socket.bind(0, source, connect);
  };

  return {
    name: 'dgram',
    submit(address, family, probes, timeoutMs, source) {
      if (closed) return;
      for (const p of probes) probe(address, family, p, timeoutMs, source);
    },
    close() {
      closed = true;
      const aborts = [...live.values()];
      live.clear();
      for (const abort of aborts) abort();
    },
  };
};

/** --dry-run: sends nothing; every probe "answers" at once with OUTCOME_DRY (closed, reason dry-run). */
export const dryUdpBackend: UdpBackendFactory = (onOutcome) => {
  let closed = false;
  let seq = 0;
  return {
    name: 'dry',
    submit(_address, _family, probes) {
      if (closed) return;
      const copy = probes.map((p) => p.id);
      setImmediate(() => {
        for (const id of copy) if (!closed) onOutcome({ id, code: OUTCOME_DRY, rttUs: 0, sentSeq: seq++ });
      });
    },
    close() {
      closed = true;
    },
  };
};

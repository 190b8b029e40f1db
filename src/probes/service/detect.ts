/**
 * Identify the service on one open TCP port:
 *  1. connect and wait briefly for a greeting (services that speak first: SSH, SMTP, FTP, MySQL…);
 *  2. a silent port gets a TLS handshake; if TLS answers, everything below runs inside the tunnel;
 *  3. probes in order (probes naming the port, then by rarity up to --version-intensity), a few at a time,
 *     each on a fresh connection, until one answer is recognised;
 *  4. nothing recognised: the printable start of whatever the port sent.
 * Every read is bounded in time (waitMs, idleMs) and size (maxBytes).
 */
import { setMaxListeners } from 'node:events';
import type { TlsInfo } from '../../model/index.js';
import type { StreamDialer } from '../../net/index.js';
import { printable } from './match-helpers.js';
import { buildProbeTable, matchAnswer, probesFor, type ProbeTable } from './registry.js';
import { exchange as exchangeVia, type ExchangeOptions, type ExchangeResult } from './transport.js';
import { NULL_PROBE, type ProbeDef, type ServiceMatch } from './types.js';

export interface DetectOptions {
  /** 0..9: probes rarer than this are skipped unless they name the port (nmap's --version-intensity). */
  intensity: number;
  /** How long to wait for a greeting before sending anything. */
  greetWaitMs: number;
  /** Deadline of one probe conversation (connect, TLS handshake, answer). */
  probeWaitMs: number;
  /** Deadline of the TLS handshake attempt on a silent port (a TLS server answers a ClientHello at once). */
  tlsWaitMs: number;
  /** An answer is complete after this much silence. */
  idleMs: number;
  /** Byte cap per answer. */
  maxBytes: number;
  /** Probe connections open at once for one port. */
  probeParallelism: number;
  /** Opens every connection (direct or through --proxy); the engine hands in one that is paced. */
  dialer: StreamDialer;
  signal?: AbortSignal;
}

export const DEFAULT_DETECT: Omit<DetectOptions, 'dialer' | 'signal'> = { intensity: 7, greetWaitMs: 2000, probeWaitMs: 3000, tlsWaitMs: 2000, idleMs: 300, maxBytes: 16 * 1024, probeParallelism: 6 };

export interface DetectResult {
  /** The TCP connection succeeded at detection time (the port may have closed since the scan). */
  reachable: boolean;
  match: ServiceMatch | null;
  /** The service answered TLS; `match` describes what runs inside. */
  tls?: TlsInfo;
  /** Printable start of the first non-empty answer, when nothing matched. */
  banner?: string;
}

const ALPN_OFFER = ['h2', 'http/1.1'];
/** Greeting wait inside a fresh tunnel: the handshake already proved the peer is awake. */
const TLS_GREET_MS = 1000;
let defaultTable: ProbeTable | undefined;

export async function detectService(address: string, port: number, opts: DetectOptions, table = (defaultTable ??= buildProbeTable())): Promise<DetectResult> {
  const base = { address, port, idleMs: opts.idleMs, maxBytes: opts.maxBytes, ...(opts.signal ? { signal: opts.signal } : {}) };
  const exchange = (o: ExchangeOptions): Promise<ExchangeResult> => exchangeVia(opts.dialer, o);
  const greeting = await exchange({ ...base, tls: false, waitMs: opts.greetWaitMs });
  if (!greeting.connected) return { reachable: false, match: null };
  const cutOff = (): DetectResult => (greeting.data.length > 0 ? { reachable: true, match: null, banner: printable(greeting.data) } : { reachable: true, match: null });
  const found = matchAnswer(table, NULL_PROBE, greeting.data);
  if (found) return { reachable: true, match: found };
  let firstAnswer: Buffer = greeting.data;
  let inTls = false;
  let tls: TlsInfo | undefined;
  if (greeting.data.length === 0) {
    // TLS servers never speak first, so only a silent port is worth a handshake. The handshake's own
    // connection doubles as the greeting wait inside the tunnel (IMAPS, SMTPS, FTPS greet after it).
    const hs = await exchange({ ...base, tls: true, waitMs: opts.tlsWaitMs, readWaitMs: Math.min(opts.greetWaitMs, TLS_GREET_MS), alpn: ALPN_OFFER });
    if (hs.tls) {
      inTls = true;
      tls = hs.tls;
      const inner = matchAnswer(table, NULL_PROBE, hs.data);
      if (inner) return { reachable: true, match: inner, tls };
      firstAnswer = hs.data;
    }
  }
  // Stopped meanwhile (interrupt, host timeout): report what is known, open no more connections.
  if (opts.signal?.aborted) return tls ? { ...cutOff(), tls } : cutOff();
  const probes = probesFor(table, port, opts.intensity, inTls);
  const result = await runProbes(probes, (p, signal) => exchange({ ...base, signal, tls: inTls, waitMs: opts.probeWaitMs, payload: payloadOf(p, address, port), ...(p.complete ? { complete: p.complete } : {}) }), table, opts);
  if (firstAnswer.length === 0) firstAnswer = result.firstAnswer;
  const out: DetectResult = { reachable: true, match: result.match };
  if (tls) out.tls = tls;
  if (!result.match && firstAnswer.length > 0) out.banner = printable(firstAnswer);
  return out;
}

function payloadOf(p: ProbeDef, address: string, port: number): Uint8Array {
  return typeof p.payload === 'function' ? p.payload({ address, port }) : p.payload;
}

/**
 * Keep `probeParallelism` probes in flight (a sliding window, so one slow probe does not hold up the next).
 * The earliest probe in order whose answer is recognised wins: a match is final once every probe before it
 * has answered; the probes still running are then cut off.
 */
function runProbes(probes: ProbeDef[], send: (p: ProbeDef, signal: AbortSignal) => Promise<ExchangeResult>, table: ProbeTable, opts: DetectOptions): Promise<{ match: ServiceMatch | null; firstAnswer: Buffer }> {
  const stop = new AbortController();
  // One listener per probe in flight hangs on this signal (transport.ts links each conversation to it once).
  setMaxListeners(opts.probeParallelism + 1, stop.signal);
  const onOuterAbort = (): void => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  else opts.signal?.addEventListener('abort', onOuterAbort);
  const answers: (ExchangeResult | undefined)[] = probes.map(() => undefined);
  const matches: (ServiceMatch | null)[] = probes.map(() => null);
  let next = 0;
  let running = 0;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (match: ServiceMatch | null): void => {
      if (settled) return;
      settled = true;
      stop.abort();
      opts.signal?.removeEventListener('abort', onOuterAbort);
      const first = answers.find((a) => a !== undefined && a.data.length > 0);
      resolve({ match, firstAnswer: first?.data ?? Buffer.alloc(0) });
    };
    /**
     * The earliest match whose predecessors have all answered; or, without waiting for slower earlier
     * probes, the earliest match that already names a version (nothing better can come).
     */
    const decided = (): ServiceMatch | null => {
      for (let i = 0; i < probes.length; i++) {
        if (answers[i] === undefined) break;
        if (matches[i]) return matches[i]!;
      }
      return matches.find((m) => m?.version !== undefined) ?? null;
    };
    const launch = (): void => {
      while (!settled && running < opts.probeParallelism && next < probes.length && !stop.signal.aborted) {
        const i = next++;
        running++;
        void send(probes[i]!, stop.signal).then((r) => {
          running--;
          answers[i] = r;
          matches[i] = matchAnswer(table, probes[i]!.name, r.data);
          const m = decided();
          if (m) return settle(m);
          launch();
        });
      }
      if (running === 0 && !settled) settle(matches.find((m) => m !== null) ?? null);
    };
    launch();
  });
}

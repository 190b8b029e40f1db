import type { PortReason, PortState } from '../model/index.js';

/**
 * A connect backend opens TCP connections and reports how each attempt ended. It decides nothing about
 * timing or retries: the engine submits probes with a timeout and reads outcomes in batches.
 *
 * Outcome codes: 0 = connected; > 0 = an errno number of this platform (os.constants.errno);
 * OUTCOME_TIMEOUT = no answer before the timeout; OUTCOME_SELF = the socket connected to itself;
 * <= PROXY_BASE = a SOCKS5 reply code (PROXY_BASE - rep).
 */
export const OUTCOME_TIMEOUT = -1;
export const OUTCOME_SELF = -2;
/** Answer of the dry-run backend, which sends nothing. */
export const OUTCOME_DRY = -3;
export const PROXY_BASE = -100;

export type OutcomeHandler = (ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array) => void;

export interface ConnectBackend {
  readonly name: string;
  /** Queue one probe per port to `address`; `ids[i]` comes back with the outcome of `ports[i]`. */
  submit(address: string, ids: Uint32Array, ports: Uint16Array, timeoutMs: number): void;
  /** Stop: abandon probes in flight (no more outcomes are delivered) and free every socket. */
  close(): void;
}

export type BackendFactory = (onOutcomes: OutcomeHandler) => ConnectBackend;

/** What an outcome means for the port, or what the engine must do instead of settling it. */
export type Verdict =
  | { kind: 'settled'; state: PortState; reason: PortReason }
  /** No answer (or no trustworthy answer): try again later, subject to the retry budget. */
  | { kind: 'unanswered' }
  /** Our own side ran out of something (ephemeral ports, file descriptors, buffers): not the target's answer. */
  | { kind: 'local'; errno: string };

import type { PortReason, PortResult, PortState } from '../model/index.js';
import type { HostJob } from './host-job.js';

/**
 * One TCP connect probe's life on its host: taken from the host's port set into a batch for the backend,
 * then settled, retried or requeued by its answer. A probe id is slot * 65536 + port index, so an answer
 * finds its host and port without a lookup table.
 */

/** Reasons whose answer crossed the network, so its time is a round trip (a local ENETUNREACH "arrives" in 1 µs). */
const RTT_REASONS: ReadonlySet<string> = new Set(['syn-ack', 'conn-refused', 'proxy-connected', 'proxy-refused']);
/** A kernel SYN retransmission happens after 1 s (Linux TCP_TIMEOUT_INIT): such RTT samples are not RTTs. */
const MAX_RTT_SAMPLE_US = 900_000;

export interface ProbeBatch {
  ids: Uint32Array;
  ports: Uint16Array;
  /** Probes in the batch that are a port's second or later try (`-d`'s accounting). */
  retries: number;
}

/** Take up to `room` queued probes of the host; null when it has none to send. */
export function takeBatch(job: HostJob, room: number): ProbeBatch | null {
  const ids = new Uint32Array(room);
  const ports = new Uint16Array(room);
  const { set } = job;
  let count = 0;
  let retries = 0;
  for (; count < room; count++) {
    const idx = set.take();
    if (idx < 0) break;
    ids[count] = job.slot * 65536 + idx;
    ports[count] = set.ports[idx]!;
    if (set.tries[idx]! > 1) retries++;
  }
  if (count === 0) return null;
  return { ids: ids.subarray(0, count), ports: ports.subarray(0, count), retries };
}

export function probeSlot(id: number): number {
  return id >>> 16;
}

export function probeIndex(id: number): number {
  return id & 0xffff;
}

/**
 * Record an answer: the port's state, an RTT sample when it timed the path, the congestion window.
 * Returns the port's result when it is open and the host still reports (not timed out), else undefined.
 */
export function settleProbe(job: HostJob, idx: number, state: PortState, reason: PortReason, rttUs: number): PortResult | undefined {
  const late = job.set.tries[idx]! > 1;
  job.set.settle(idx, state, reason, rttUs);
  if (rttUs < MAX_RTT_SAMPLE_US && RTT_REASONS.has(reason)) {
    job.rtt.update(rttUs);
    job.sharedRtt?.update(rttUs);
  }
  job.noteAnswer(late);
  if (state !== 'open' || job.timedOut) return undefined;
  return { protocol: 'tcp', port: job.set.ports[idx]!, state: 'open', reason, tries: job.set.tries[idx]!, rttUs };
}

/** No usable answer: retry it (`requeue` = our side failed, which costs no try), or drop it if the host timed out. */
export function returnProbe(job: HostJob, idx: number, requeue: boolean): void {
  if (job.timedOut) job.set.inflight--;
  else if (requeue) job.set.requeue(idx);
  else job.set.unanswered(idx);
}

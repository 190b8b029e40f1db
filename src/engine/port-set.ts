import type { PortReason, PortState } from '../model/index.js';
import { requiredAttempts } from './retry-policy.js';

/** A settled verdict, interned: port sets store a small index per port instead of objects. */
export interface VerdictEntry {
  state: PortState;
  reason: PortReason;
}

/**
 * The probing state of one set of ports of one host: which ports wait to be probed, which are in flight,
 * which are settled, and the retry bookkeeping that tells loss from filtering (retry-policy.ts).
 * Typed arrays keep a 65536-port set at a few hundred kilobytes.
 */
export class PortSet {
  readonly ports: Uint16Array;
  readonly tries: Uint8Array;
  readonly verdict: Uint8Array; // 0 = unsettled, else index + 1 into `verdicts`
  readonly rttUs: Uint32Array;
  readonly verdicts: VerdictEntry[] = [];
  private readonly verdictIndex = new Map<string, number>();
  private queue: number[] = [];
  private head = 0;
  private tentative: number[] = [];
  inflight = 0;
  settled = 0;
  /** Attempts lost before a port answered, summed; and ports that answered. */
  lost = 0;
  answered = 0;
  lateAnswers = 0;
  probesSent = 0;
  retryCapHit = 0;
  /** The most attempts any port of this set has had so far. */
  attemptsUsed = 0;

  constructor(
    ports: Uint16Array,
    private readonly maxAttempts: number,
  ) {
    this.ports = ports;
    this.tries = new Uint8Array(ports.length);
    this.verdict = new Uint8Array(ports.length);
    this.rttUs = new Uint32Array(ports.length);
    for (let i = 0; i < ports.length; i++) this.queue.push(i);
  }

  get size(): number {
    return this.ports.length;
  }

  queued(): number {
    return this.queue.length - this.head;
  }

  done(): boolean {
    return this.settled === this.ports.length;
  }

  /** Next port index to probe, or -1. */
  take(): number {
    if (this.head >= this.queue.length) return -1;
    const idx = this.queue[this.head++]!;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    const t = ++this.tries[idx]!;
    if (t > this.attemptsUsed) this.attemptsUsed = t;
    this.inflight++;
    this.probesSent++;
    return idx;
  }

  settle(idx: number, state: PortState, reason: PortReason, rttUs: number): void {
    this.inflight--;
    if (this.verdict[idx] !== 0) return;
    const key = `${state}/${reason}`;
    let v = this.verdictIndex.get(key);
    if (v === undefined) {
      v = this.verdicts.push({ state, reason });
      this.verdictIndex.set(key, v);
    }
    this.verdict[idx] = v;
    this.rttUs[idx] = rttUs;
    this.settled++;
    const t = this.tries[idx]!;
    if (state !== 'filtered' || reason !== 'no-response') {
      this.answered++;
      if (t > 1) {
        this.lost += t - 1;
        this.lateAnswers++;
      }
    }
  }

  /** The probe went unanswered: retry it now if the budget allows, else park it until the set drains. */
  unanswered(idx: number): void {
    this.inflight--;
    if (this.tries[idx]! < this.budget()) this.queue.push(idx);
    else this.tentative.push(idx);
  }

  /** Our side failed (no socket): the attempt does not count. */
  requeue(idx: number): void {
    this.inflight--;
    this.tries[idx]!--;
    this.probesSent--;
    this.queue.push(idx);
  }

  budget(): number {
    return requiredAttempts(this.lost, this.answered, this.maxAttempts);
  }

  /**
   * Called when nothing is queued or in flight. Parked ports whose tries are below the (now better informed)
   * budget go back to the queue; when none do, they are settled as filtered/no-response.
   * Returns true when more probing is needed.
   */
  drainParked(): boolean {
    if (this.tentative.length === 0) return false;
    const budget = this.budget();
    const again = this.tentative.filter((i) => this.tries[i]! < budget);
    if (again.length > 0) {
      this.tentative = this.tentative.filter((i) => this.tries[i]! >= budget);
      for (const i of again) this.queue.push(i);
      return true;
    }
    const uncapped = requiredAttempts(this.lost, this.answered, 255);
    for (const i of this.tentative) {
      if (uncapped > this.maxAttempts) this.retryCapHit++;
      this.inflight++; // settle() balances it
      this.settle(i, 'filtered', 'no-response', 0);
    }
    this.tentative = [];
    return false;
  }

  /**
   * The host turned out to rate-limit its answers (answer-pacer.ts): the silence so far was the limit, not
   * loss or filtering. Unsettled ports keep one attempt (the one that may be in flight), parked ones go back
   * to the queue, and the loss evidence starts afresh.
   */
  forgetAttempts(): void {
    for (let i = 0; i < this.tries.length; i++) if (this.verdict[i] === 0 && this.tries[i]! > 1) this.tries[i] = 1;
    for (const i of this.tentative) this.queue.push(i);
    this.tentative = [];
    this.lost = 0;
    this.answered = 0;
  }

  /** Abandon everything not settled (interrupt, host timeout). */
  abandon(): void {
    this.queue = [];
    this.head = 0;
    this.tentative = [];
  }

  verdictOf(idx: number): VerdictEntry | undefined {
    const v = this.verdict[idx]!;
    return v === 0 ? undefined : this.verdicts[v - 1];
  }
}

import type { PortReason, PortResult, PortState, UdpScanStats } from '../model/index.js';
import { classifyUdpOutcome, isIcmpOutcome, type UdpBackendFactory, type UdpOutcome } from '../net/index.js';
import { IcmpPacer } from './icmp-pacer.js';
import { RttEstimator } from './rtt.js';
import type { Timing } from './timing.js';
import type { SendGate, UdpSend } from './udp-runner.js';
import { UdpRunner } from './udp-runner.js';

/** What the engine needs from the probe layer: the datagram per port and how to name a reply. */
export interface UdpProbeSet {
  /** The datagram for a port's attempt number `attempt` (0 = first): protocols may vary it on retries. */
  datagramFor(port: number, attempt: number): Buffer;
  identify(port: number, reply: Buffer): { name: string; product?: string; version?: string; extrainfo?: string } | undefined;
  tableName(port: number): string | undefined;
  /** -sV: report product and version from replies; otherwise only the service name (as nmap). */
  versions: boolean;
}

export interface UdpHostResult {
  ports: PortResult[];
  complete: boolean;
  stats: UdpScanStats;
}

interface Settled {
  state: PortState;
  reason: PortReason;
  rttUs: number;
  reply?: Buffer;
}

/** Probes in flight during the first pass. */
const SWEEP_WINDOW = 256;
/** Largest batch of silent ports probed on one token. */
const MAX_BATCH = 256;
const MIN_BATCH = 4;
/** Rate measurement stops after this long, or after this many ICMP errors in a row with no silence. */
const RATE_PROBE_MAX_MS = 6000;
const RATE_PROBE_UNLIMITED = 20;

/**
 * The UDP scan of one host (docs/udp.md):
 * 1. sweep: every port once, fast. Answers settle open, ICMP settles closed/filtered; silence proves
 *    nothing yet, because the target's ICMP rate limit starves closed ports.
 * 2. rate: probe one port that answered ICMP, back to back, and time the ICMP errors once the bucket is
 *    empty: that is the target's refill rate.
 * 3. confirm: probe silent ports in batches, each batch when the rate model has a token. In a batch sent
 *    with t tokens, a silent probe sent before the t-th ICMP answer of that batch had a token waiting: a
 *    closed port would have answered, so its silence is trusted. Two trusted silences make open|filtered.
 * With several source addresses (-S a,b,…) the target keeps one ICMP bucket per address: the sweep takes
 * them in turn, and confirm runs one batch loop per source, each with its own token model (the rate is
 * measured on the first source and assumed for the others: the same kernel setting fills every bucket).
 */
export class UdpHostScan {
  private readonly runner: UdpRunner;
  private readonly rtt = new RttEstimator();
  /** -S: the addresses probes leave from, in turn (`undefined`: the kernel's choice); one ICMP model each. */
  private readonly sources: readonly (string | undefined)[];
  private readonly pacers: IcmpPacer[];
  private readonly pauses = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly settled: (Settled | undefined)[];
  private readonly trusted: Uint8Array;
  private readonly tries: Uint8Array;
  private readonly needTrusted: number;
  private icmpPort = -1;
  private readonly stats: UdpScanStats = { probesSent: 0, sweepMs: 0, rateMs: 0, confirmMs: 0, icmpPerSecond: 0, icmpAnswers: 0, floorMs: 0, violations: 0 };
  private sweepIcmp = 0;
  private done = false;

  constructor(
    readonly address: string,
    family: 4 | 6,
    private readonly ports: Uint16Array,
    private readonly timing: Timing,
    backend: UdpBackendFactory,
    private readonly probes: UdpProbeSet,
    /** Told about each open port as soon as it answers (the CLI's "Discovered open port" with -v). */
    private readonly onOpen?: (r: PortResult) => void,
    /** --max-rate / --scan-delay: asked before every datagram. */
    gate?: SendGate,
    /** -S: local addresses of the host's family to send from in turn (none: the kernel chooses). */
    sources: readonly string[] = [],
  ) {
    this.sources = sources.length > 0 ? sources : [undefined];
    this.pacers = this.sources.map(() => new IcmpPacer());
    this.runner = new UdpRunner(backend, address, family, gate);
    this.settled = new Array<Settled | undefined>(ports.length);
    this.trusted = new Uint8Array(ports.length);
    this.tries = new Uint8Array(ports.length);
    this.needTrusted = Math.max(1, Math.min(2, timing.maxRetries + 1));
  }

  private timeoutMs = (): number => this.rtt.timeoutMs(this.timing.minRttTimeoutMs, this.timing.maxRttTimeoutMs, this.timing.initialRttTimeoutMs);

  private send(idx: number, source: number): UdpSend {
    const attempt = this.tries[idx]!;
    this.tries[idx] = Math.min(255, attempt + 1);
    const port = this.ports[idx]!;
    const s: UdpSend = { port, payload: this.probes.datagramFor(port, attempt) };
    const from = this.sources[source % this.sources.length];
    if (from !== undefined) s.source = from;
    return s;
  }

  private onOutcome = (o: UdpOutcome): void => {
    if (o.code === 0 || isIcmpOutcome(o.code, o.icmp)) this.rtt.update(o.rttUs);
  };

  /** Settle from an outcome; returns 'icmp' | 'answer' | 'silent' | 'local'. */
  private apply(idx: number, o: UdpOutcome | undefined): 'icmp' | 'answer' | 'silent' | 'local' {
    if (!o) return 'local';
    const v = classifyUdpOutcome(o.code, o.icmp);
    if (v.kind === 'unanswered') return 'silent';
    if (v.kind === 'local') return 'local';
    if (this.settled[idx] === undefined) {
      const s: Settled = { state: v.state, reason: v.reason, rttUs: o.rttUs };
      if (o.reply) s.reply = o.reply;
      this.settled[idx] = s;
      if (o.code !== 0) this.stats.icmpAnswers++;
      else this.onOpen?.({ protocol: 'udp', port: this.ports[idx]!, state: 'open', reason: 'udp-response', tries: this.tries[idx]!, rttUs: o.rttUs });
    }
    return o.code === 0 ? 'answer' : 'icmp';
  }

  async run(): Promise<UdpHostResult> {
    const t0 = performance.now();
    let silent = await this.sweep();
    const t1 = performance.now();
    this.stats.sweepMs = t1 - t0;
    if (silent.length > 0 && this.icmpPort >= 0) silent = await this.measureRate(silent);
    const t2 = performance.now();
    this.stats.rateMs = t2 - t1;
    if (silent.length > 0) silent = await this.confirm(silent);
    this.stats.confirmMs = performance.now() - t2;
    return this.finish();
  }

  private async sweep(): Promise<number[]> {
    const idxs = Array.from(this.ports.keys());
    // One probe first: its answer gives an RTT, so the rest wait a measured timeout, not the initial one.
    // Answers settle their port at once (not after the whole pass) so the progress line moves during it.
    const settleNow =
      (offset: number) =>
      (o: UdpOutcome, i: number): void => {
        this.onOutcome(o);
        this.apply(idxs[offset + i]!, o);
      };
    const first = await this.runner.run(
      idxs.slice(0, 1).map((i) => this.send(i, 0)),
      1,
      this.timeoutMs,
      settleNow(0),
    );
    const rest = await this.runner.run(
      idxs.slice(1).map((i, n) => this.send(i, n + 1)),
      Math.min(SWEEP_WINDOW, this.timing.maxParallelism),
      this.timeoutMs,
      settleNow(1),
    );
    const outs = first.concat(rest);
    const silent: number[] = [];
    idxs.forEach((idx, i) => {
      const r = this.apply(idx, outs[i]);
      if (r === 'icmp') {
        this.sweepIcmp++;
        if (this.icmpPort < 0 || this.settled[idx]!.state === 'closed') this.icmpPort = idx;
      } else if (r === 'silent' || r === 'local') silent.push(idx);
    });
    return silent;
  }

  /**
   * Time the target's ICMP errors (section 2 of the class comment) on one port known to draw them. Only
   * that port is probed: its silence proves the bucket empty, so the gap to its next ICMP error is one
   * refill. (Probing unknown ports instead would save the two or three tokens spent here, but a dropped
   * port's silence proves nothing, and saved-up tokens would then look like a fast rate.)
   */
  private async measureRate(queue: number[]): Promise<number[]> {
    const start = performance.now();
    let last = -1;
    let silenceSince = false;
    let streak = 0;
    let icmps = 0;
    const intervals: number[] = [];
    const quick = (): number => Math.max(5, Math.min(100, (3 * this.rtt.srttUs) / 1000 + 2));
    const port = this.ports[this.icmpPort]!;
    const payload = this.probes.datagramFor(port, 0);
    const source = this.sources[0];
    while (!this.runner.stopped && performance.now() - start < RATE_PROBE_MAX_MS) {
      const [o] = await this.runner.run([source === undefined ? { port, payload } : { port, payload, source }], 1, quick, this.onOutcome);
      if (o === undefined) return queue;
      const now = performance.now();
      if (o.code > 0 && isIcmpOutcome(o.code, o.icmp)) {
        icmps++;
        streak++;
        if (silenceSince && last >= 0) intervals.push(now - last);
        last = now;
        silenceSince = false;
        if (intervals.length >= 2 || streak >= RATE_PROBE_UNLIMITED) break;
      } else {
        streak = 0;
        silenceSince = true;
      }
    }
    const elapsed = performance.now() - start;
    let perSecond: number;
    if (streak >= RATE_PROBE_UNLIMITED) perSecond = (icmps * 1000) / Math.max(1, elapsed);
    else if (intervals.length > 0) perSecond = 1000 / Math.max(...intervals);
    else perSecond = Math.max(1, icmps) * (1000 / Math.max(elapsed, 1000));
    this.stats.icmpPerSecond = perSecond;
    for (const pacer of this.pacers) {
      pacer.setRate(perSecond, this.timeoutMs(), true);
      pacer.drain();
    }
    return queue;
  }

  private async confirm(silent: number[]): Promise<number[]> {
    for (const pacer of this.pacers) {
      if (pacer.measured) continue;
      // No ICMP at all in the sweep: either the target sends none, or its bucket was already empty (an
      // earlier scan). Assume Linux's default of one per second until an ICMP error shows otherwise.
      pacer.setRate(1 / IcmpPacer.MARGIN, this.timeoutMs(), false);
      pacer.drain();
    }
    // One batch loop per source address, all taking from one queue (a loop that finds it empty ends; the
    // loops still running put back what their batch left unsettled).
    const shared = { queue: silent };
    await Promise.all(this.pacers.map((_, s) => this.confirmFrom(s, shared)));
    this.stats.violations = this.pacers.reduce((n, p) => n + p.violations, 0);
    return shared.queue;
  }

  /** Section 3 of the class comment for source `s`: its batches spend only its own ICMP bucket. */
  private async confirmFrom(s: number, shared: { queue: number[] }): Promise<void> {
    const pacer = this.pacers[s]!;
    let batchSize = MIN_BATCH;
    while (shared.queue.length > 0 && !this.runner.stopped) {
      const wait = pacer.waitMs();
      if (wait > 0) await this.sleep(wait);
      if (this.runner.stopped || shared.queue.length === 0) break;
      const tokens = pacer.available();
      const batch = shared.queue.slice(0, batchSize);
      shared.queue = shared.queue.slice(batch.length);
      const outs = await this.runner.run(
        batch.map((i) => this.send(i, s)),
        batch.length,
        this.timeoutMs,
        this.onOutcome,
      );
      if (this.runner.stopped) {
        shared.queue = batch.concat(shared.queue);
        break;
      }
      const order = batch.map((idx, i) => ({ idx, o: outs[i] })).sort((a, b) => (a.o?.sentSeq ?? 0) - (b.o?.sentSeq ?? 0));
      let icmpBefore = 0;
      let violated = false;
      const front: number[] = [];
      const back: number[] = [];
      for (const { idx, o } of order) {
        const r = this.apply(idx, o);
        if (r === 'icmp') {
          if (this.trusted[idx]! > 0) violated = true;
          icmpBefore++;
          if (this.icmpPort < 0) this.icmpPort = idx;
        } else if (r === 'local') front.push(idx);
        else if (r === 'silent') {
          if (icmpBefore < tokens) {
            this.trusted[idx]!++;
            if (this.trusted[idx]! >= this.needTrusted) this.settled[idx] = { state: 'open|filtered', reason: 'no-response', rttUs: 0 };
            else back.push(idx);
          } else front.push(idx);
        }
      }
      pacer.spend(icmpBefore);
      if (violated) {
        pacer.violation(this.timeoutMs());
        for (let i = 0; i < this.trusted.length; i++) if (this.settled[i] === undefined) this.trusted[i] = 0;
      }
      shared.queue = front.concat(shared.queue, back);
      if (s === 0 && !pacer.measured && this.icmpPort >= 0 && shared.queue.length > 8) shared.queue = await this.measureRate(shared.queue);
      batchSize = icmpBefore === 0 ? Math.min(MAX_BATCH, batchSize * 2) : Math.max(MIN_BATCH, pacer.cap * 4);
    }
  }

  /** Abandon the scan now (interrupt, host timeout); `result()` reports what is settled. */
  stop(): void {
    this.runner.stop();
    const pauses = [...this.pauses];
    this.pauses.clear();
    for (const p of pauses) {
      clearTimeout(p.timer);
      p.wake();
    }
  }

  /** Wait for an ICMP bucket; stop() ends the wait at once. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const p = {
        timer: setTimeout(() => p.wake(), ms),
        wake: (): void => {
          this.pauses.delete(p);
          resolve();
        },
      };
      this.pauses.add(p);
    });
  }

  /** Ports whose state is decided so far (the progress line). */
  settledCount(): number {
    let n = 0;
    for (const s of this.settled) if (s !== undefined) n++;
    return n;
  }

  result(): UdpHostResult {
    return this.finish();
  }

  private finish(): UdpHostResult {
    const ports: PortResult[] = [];
    let complete = true;
    for (let i = 0; i < this.ports.length; i++) {
      const s = this.settled[i];
      if (!s) {
        complete = false;
        continue;
      }
      const port = this.ports[i]!;
      const r: PortResult = { protocol: 'udp', port, state: s.state, reason: s.reason, tries: this.tries[i]! };
      if (s.rttUs > 0 && s.reason !== 'no-response') r.rttUs = s.rttUs;
      const guess = s.reply ? this.probes.identify(port, s.reply) : undefined;
      if (guess) r.service = this.probes.versions ? { method: 'probed', conf: 8, ...guess } : { name: guess.name, method: 'probed', conf: 8 };
      else {
        const name = this.probes.tableName(port);
        if (name) r.service = { name, method: 'table', conf: 3 };
      }
      ports.push(r);
    }
    ports.sort((a, b) => a.port - b.port);
    this.stats.probesSent = this.runner.probesSent;
    const rate = this.stats.icmpPerSecond;
    // Answers beyond the sweep's ICMP errors had to wait for the buckets (one per source): that wait is the floor.
    this.stats.floorMs = rate > 0 ? (Math.max(0, this.stats.icmpAnswers - this.sweepIcmp) * 1000) / (rate * this.sources.length) : 0;
    if (!this.done) {
      this.done = true;
      this.runner.stop();
    }
    return { ports, complete, stats: { ...this.stats } };
  }
}

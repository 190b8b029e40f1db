import type { HostReport, ResolvedTarget, ScanEvent, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';
import { classifyConnectOutcome, type BackendFactory, type ConnectBackend } from '../net/index.js';
import { EventQueue } from './event-queue.js';
import { HostJob } from './host-job.js';
import type { Timing } from './timing.js';
import { UdpPhase, type UdpPlan } from './udp-phase.js';

export type TargetItem = { kind: 'target'; target: ResolvedTarget } | { kind: 'problem'; problem: TargetProblem };

/** Everything one scan needs, decided before it starts. The engine knows no CLI and no output format. */
const RTT_REASONS: ReadonlySet<string> = new Set(['syn-ack', 'conn-refused', 'proxy-connected', 'proxy-refused']);

export interface EnginePlan {
  start: ScanStart;
  targets: AsyncIterable<TargetItem>;
  /** TCP ports in the order to probe them (the caller shuffles unless -r). */
  ports: Uint16Array;
  timing: Timing;
  /** Ports of the connect ping; null = no host discovery (-Pn). */
  discoveryPorts: Uint16Array | null;
  backend: BackendFactory;
  isLoopback: (address: string) => boolean;
  serviceName: (port: number) => string | undefined;
  reverseDns?: (address: string) => Promise<string | undefined>;
  signal?: AbortSignal;
  wildcard: { minPorts: number; openRatio: number };
  progressIntervalMs: number;
  /** UDP ports (-sU), scanned per host after its TCP ports (docs/udp.md). */
  udp?: UdpPlan;
}

/** Consecutive local failures (no socket, proxy down) after which the scan gives up instead of spinning. */
const LOCAL_FAILURE_LIMIT = 2000;
/** A kernel SYN retransmission happens after 1 s (Linux TCP_TIMEOUT_INIT): such RTT samples are not RTTs. */
const MAX_RTT_SAMPLE_US = 900_000;

/** Runs a plan; `events` yields start, ports, hosts and end. One instance is one scan. */
export class Scheduler {
  readonly events: EventQueue<ScanEvent>;
  private readonly plan: EnginePlan;
  private backend: ConnectBackend | null = null;
  private readonly hosts: (HostJob | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private activeCount = 0;
  private inflight = 0;
  private globalCap: number;
  private rr = 0;
  private iterator: AsyncIterator<TargetItem> | null = null;
  private targetsDone = false;
  private filling = false;
  private pendingReports = 0;
  private stopped = false;
  private finished = false;
  private interruptedBy: string | undefined;
  private fatal: string | undefined;
  private consecutiveLocal = 0;
  private lastLocalErrno = '';
  private pumpTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private tokens = 0;
  private lastRefill = 0;
  private readonly summary: ScanSummary;
  private portsDone = 0;
  private readonly udp: UdpPhase | undefined;

  constructor(plan: EnginePlan) {
    this.plan = plan;
    this.globalCap = plan.timing.maxParallelism;
    this.events = new EventQueue<ScanEvent>(() => this.interrupt('Stopped by the caller'));
    this.summary = {
      startTime: plan.start.startTime,
      endTime: 0,
      elapsedMs: 0,
      hostsTotal: 0,
      hostsUp: 0,
      hostsDown: 0,
      probesSent: 0,
      interrupted: false,
      targetProblems: [],
    };
    if (plan.udp) {
      this.udp = new UdpPhase(plan.udp, {
        timing: plan.timing,
        gate: () => this.takeSendToken(),
        onOpen: (address, result) => {
          if (!this.stopped) this.events.push({ kind: 'port', address, result });
        },
        onDone: (job, lookupNames) => this.finalize(job, lookupNames),
        onFailed: (job, err) => {
          this.fatal = `UDP scan of ${job.target.address} failed: ${err.message}`;
          this.interrupt(this.fatal);
        },
      });
    }
  }

  run(): void {
    const { plan } = this;
    this.events.push({ kind: 'start', start: plan.start });
    if (plan.signal?.aborted) {
      this.interrupt(abortMessage(plan.signal));
      return;
    }
    plan.signal?.addEventListener('abort', () => this.interrupt(abortMessage(plan.signal!)), { once: true });
    try {
      this.backend = plan.backend((ids, codes, rtts) => this.onOutcomes(ids, codes, rtts));
    } catch (err) {
      this.fatal = (err as Error).message;
      this.finish();
      return;
    }
    this.iterator = plan.targets[Symbol.asyncIterator]();
    this.lastRefill = performance.now();
    this.tokens = 1;
    if (plan.progressIntervalMs > 0) {
      this.progressTimer = setInterval(() => this.emitProgress(), plan.progressIntervalMs);
      this.progressTimer.unref();
    }
    void this.fill();
  }

  /** Stop now: abandon probes in flight, report what each started host has, end the run. */
  interrupt(message: string): void {
    if (this.stopped || this.finished) return;
    this.stopped = true;
    this.interruptedBy = message;
    this.backend?.close();
    this.inflight = 0;
    for (const job of this.hosts) {
      if (!job) continue;
      job.set.abandon();
      job.set.inflight = 0;
      this.finalize(job, false);
    }
    this.checkFinished();
  }

  private async fill(): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    try {
      while (!this.stopped && !this.targetsDone && this.activeCount < this.plan.timing.maxHostgroup) {
        const next = await this.iterator!.next();
        if (this.stopped) break;
        if (next.done) {
          this.targetsDone = true;
          break;
        }
        if (next.value.kind === 'problem') {
          this.summary.targetProblems.push(next.value.problem);
          this.events.push({ kind: 'target-problem', problem: next.value.problem });
          continue;
        }
        this.startHost(next.value.target);
        this.pump();
      }
    } catch (err) {
      this.fatal = `reading targets failed: ${(err as Error).message}`;
      this.targetsDone = true;
      if (!this.stopped) this.interrupt(this.fatal);
    } finally {
      this.filling = false;
    }
    this.checkFinished();
  }

  private startHost(target: ResolvedTarget): void {
    const { plan } = this;
    const slot = this.freeSlots.pop() ?? this.hosts.length;
    const loopback = plan.isLoopback(target.address);
    const discovery = plan.discoveryPorts && !loopback ? plan.discoveryPorts : null;
    const reason = loopback ? 'localhost-response' : discovery ? '' : 'user-set';
    const job = new HostJob(slot, target, plan.ports, discovery, plan.timing, reason);
    this.hosts[slot] = job;
    this.activeCount++;
    this.summary.hostsTotal++;
    if (plan.timing.hostTimeoutMs > 0) {
      job.hostTimer = setTimeout(() => this.hostTimeout(job), plan.timing.hostTimeoutMs);
      job.hostTimer.unref();
    }
    if (job.set.size === 0) this.advance(job);
  }

  private hostTimeout(job: HostJob): void {
    if (job.phase === 'done' || this.stopped) return;
    job.timedOut = true;
    job.set.abandon();
    if (job.set.inflight === 0) this.finalize(job, true);
  }

  private refillTokens(): number {
    const t = this.plan.timing;
    const rate = t.scanDelayMs > 0 ? 1000 / t.scanDelayMs : t.maxRate;
    if (rate <= 0) return Infinity;
    const now = performance.now();
    const burst = Math.max(1, rate / 20);
    this.tokens = Math.min(burst, this.tokens + ((now - this.lastRefill) / 1000) * rate);
    this.lastRefill = now;
    return Math.floor(this.tokens);
  }

  /** One send token for a UDP datagram (--max-rate / --scan-delay are per scan, TCP and UDP alike): 0 = go, else ms to wait. */
  private takeSendToken(): number {
    if (this.refillTokens() >= 1) {
      if (Number.isFinite(this.tokens)) this.tokens -= 1;
      return 0;
    }
    const t = this.plan.timing;
    const rate = t.scanDelayMs > 0 ? 1000 / t.scanDelayMs : t.maxRate;
    return Math.max(1, ((1 - this.tokens) / rate) * 1000);
  }

  private pump(): void {
    if (this.stopped || !this.backend) return;
    let budget = Math.min(this.globalCap - this.inflight, this.refillTokens());
    const n = this.hosts.length;
    for (let k = 0; k < n && budget > 0; k++) {
      const job = this.hosts[(this.rr + k) % n];
      if (!job || job.phase === 'done' || job.timedOut) continue;
      const room = Math.min(budget, job.window() - job.set.inflight, job.set.queued());
      if (room <= 0) continue;
      const ids = new Uint32Array(room);
      const ports = new Uint16Array(room);
      let count = 0;
      for (; count < room; count++) {
        const idx = job.set.take();
        if (idx < 0) break;
        ids[count] = job.slot * 65536 + idx;
        ports[count] = job.set.ports[idx]!;
      }
      if (count === 0) continue;
      this.inflight += count;
      budget -= count;
      if (Number.isFinite(this.tokens)) this.tokens -= count;
      this.summary.probesSent += count;
      this.backend.submit(job.target.address, ids.subarray(0, count), ports.subarray(0, count), job.timeoutMs());
    }
    this.rr = (this.rr + 1) % Math.max(1, n);
    if (budget <= 0 && this.refillTokens() < 1 && !this.pumpTimer && this.hasQueued()) {
      const t = this.plan.timing;
      const rate = t.scanDelayMs > 0 ? 1000 / t.scanDelayMs : t.maxRate;
      this.schedulePump(Math.max(1, 1000 / rate));
    }
  }

  private hasQueued(): boolean {
    return this.hosts.some((j) => j !== undefined && j.phase !== 'done' && j.set.queued() > 0);
  }

  private schedulePump(ms: number): void {
    if (this.pumpTimer) return;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, ms);
  }

  private onOutcomes(ids: Uint32Array, codes: Int32Array, rtts: Uint32Array): void {
    if (this.stopped) return;
    const touched = new Set<HostJob>();
    let localFailure = false;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const job = this.hosts[id >>> 16];
      this.inflight--;
      if (!job) continue;
      const idx = id & 0xffff;
      const verdict = classifyConnectOutcome(codes[i]!);
      touched.add(job);
      if (verdict.kind === 'settled') {
        this.consecutiveLocal = 0;
        const late = job.set.tries[idx]! > 1;
        job.set.settle(idx, verdict.state, verdict.reason, rtts[i]!);
        // Only answers that crossed the network time the path: a local ENETUNREACH "arrives" in 1 µs.
        if (rtts[i]! < MAX_RTT_SAMPLE_US && RTT_REASONS.has(verdict.reason)) job.rtt.update(rtts[i]!);
        job.noteAnswer(late);
        if (job.phase === 'main') {
          this.portsDone++;
          if (verdict.state === 'open' && !job.timedOut) {
            this.events.push({
              kind: 'port',
              address: job.target.address,
              result: { protocol: 'tcp', port: job.set.ports[idx]!, state: 'open', reason: verdict.reason, tries: job.set.tries[idx]!, rttUs: rtts[i]! },
            });
          }
        }
      } else if (verdict.kind === 'unanswered') {
        if (job.timedOut) job.set.inflight--;
        else job.set.unanswered(idx);
      } else {
        localFailure = true;
        this.lastLocalErrno = verdict.errno;
        this.consecutiveLocal++;
        if (job.timedOut) job.set.inflight--;
        else job.set.requeue(idx);
      }
    }
    if (localFailure) {
      // Our own machine ran short (ephemeral ports, descriptors, buffers) or the proxy failed: back off.
      this.globalCap = Math.max(this.plan.timing.minParallelism, Math.floor(this.globalCap * 0.75));
      if (this.consecutiveLocal >= LOCAL_FAILURE_LIMIT) {
        this.fatal = `cannot open connections (${this.lastLocalErrno}); giving up`;
        this.interrupt(this.fatal);
        return;
      }
    }
    for (const job of touched) this.progressHost(job);
    if (localFailure) this.schedulePump(20);
    else this.pump();
  }

  private progressHost(job: HostJob): void {
    if (job.phase === 'done') return;
    if (job.timedOut) {
      if (job.set.inflight === 0) this.finalize(job, true);
      return;
    }
    if (job.set.queued() > 0 || job.set.inflight > 0) return;
    if (job.set.drainParked()) return;
    if (job.set.done()) this.advance(job);
  }

  private advance(job: HostJob): void {
    if (job.phase === 'discovery') {
      if (job.finishDiscovery()) {
        if (job.set.size === 0) this.finalize(job, true);
        return;
      }
      this.finalize(job, true);
      return;
    }
    this.finalize(job, true);
  }

  private finalize(job: HostJob, lookupNames: boolean): void {
    if (this.hosts[job.slot] !== job) return;
    if (this.startUdp(job, lookupNames)) return;
    clearTimeout(job.hostTimer);
    const { plan } = this;
    const report = job.report(plan.serviceName, plan.wildcard.minPorts, plan.wildcard.openRatio);
    if (this.udp) this.summary.probesSent += this.udp.merge(job, report);
    job.phase = 'done';
    this.hosts[job.slot] = undefined;
    this.freeSlots.push(job.slot);
    this.activeCount--;
    if (report.status === 'up') this.summary.hostsUp++;
    else this.summary.hostsDown++;
    if (lookupNames && report.status === 'up' && plan.reverseDns && !this.stopped) {
      this.pendingReports++;
      void plan.reverseDns(report.address).then(
        (name) => this.emitHost(report, name),
        () => this.emitHost(report, undefined),
      );
    } else this.emitHost(report, undefined, false);
    if (!this.stopped) void this.fill();
  }

  /** Start the host's UDP phase once its TCP ports are done; true while it runs (finalize waits for it). */
  private startUdp(job: HostJob, lookupNames: boolean): boolean {
    if (!this.udp?.wants(job)) return false;
    if (this.stopped || job.timedOut || job.status !== 'up' || job.phase === 'discovery') return false;
    this.udp.start(job, lookupNames);
    return true;
  }

  private emitHost(report: HostReport, ptr: string | undefined, pending = true): void {
    if (pending) this.pendingReports--;
    if (ptr) report.hostnames.push({ name: ptr, type: 'PTR' });
    this.events.push({ kind: 'host', host: report });
    this.checkFinished();
  }

  private checkFinished(): void {
    if (this.finished) return;
    if (this.pendingReports > 0 || this.activeCount > 0) return;
    if (!this.stopped && (!this.targetsDone || this.filling)) return;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    clearInterval(this.progressTimer);
    clearTimeout(this.pumpTimer);
    this.backend?.close();
    const end = Date.now();
    this.summary.endTime = end;
    this.summary.elapsedMs = end - this.summary.startTime;
    if (this.interruptedBy !== undefined || this.fatal !== undefined) {
      this.summary.interrupted = this.interruptedBy !== undefined;
      this.summary.exitMessage = this.fatal ?? this.interruptedBy;
    }
    if (this.fatal !== undefined) this.summary.error = this.fatal;
    this.events.push({ kind: 'end', summary: this.summary });
    this.events.close();
  }

  private emitProgress(): void {
    let done = this.portsDone;
    let known = this.portsDone;
    const active: HostJob[] = [];
    for (const job of this.hosts) {
      if (!job || job.phase !== 'main') continue;
      active.push(job);
      known += job.set.size - job.set.settled;
    }
    if (this.udp) {
      const u = this.udp.progress(active);
      done += u.done;
      known += u.done + u.remaining;
    }
    this.events.push({
      kind: 'progress',
      progress: {
        hostsDone: this.summary.hostsUp + this.summary.hostsDown,
        hostsActive: active.length,
        portsDone: done,
        portsKnown: known,
        elapsedMs: Date.now() - this.summary.startTime,
      },
    });
  }
}

function abortMessage(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === 'string') return r;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  return 'Interrupted';
}

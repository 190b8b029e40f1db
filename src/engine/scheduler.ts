import type { ResolvedTarget, ScanAccounting, ScanEvent, ScanSummary } from '../model/index.js';
import { classifyConnectOutcome, type ConnectBackend } from '../net/index.js';
import type { EnginePlan, TargetItem } from './engine-plan.js';
import { EventQueue } from './event-queue.js';
import { HostJob } from './host-job.js';
import { HostReports } from './host-reports.js';
import { RttEstimator } from './rtt.js';
import { LocalFailures } from './local-failures.js';
import { PingPhase, type PingVerdict } from './ping-phase.js';
import { measureProgress } from './progress.js';
import { abortMessage, closeSummary, newSummary } from './scan-summary.js';
import { SendPacer } from './send-pacer.js';
import { ServicePhase } from './service-phase.js';
import { probeIndex, probeSlot, returnProbe, settleProbe, takeBatch } from './tcp-probes.js';
import { UdpPhase } from './udp-phase.js';

export type { EnginePlan, TargetEntry, TargetItem } from './engine-plan.js';

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
  private stopped = false;
  private finished = false;
  private interruptedBy: string | undefined;
  private fatal: string | undefined;
  private readonly localFailures = new LocalFailures();
  private pumpTimer: NodeJS.Timeout | undefined;
  private pumpDue = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly pacer: SendPacer;
  private readonly reports: HostReports;
  private readonly summary: ScanSummary;
  private portsDone = 0;
  private readonly sharedRtt = new RttEstimator();
  private readonly accounting: ScanAccounting = { discoveryProbes: 0, discoveryHostMs: 0, portProbes: 0, retries: 0, rateWaitMs: 0, neighbourChecks: 0, neighbourUp: 0 };
  private readonly udp: UdpPhase | undefined;
  private readonly service: ServicePhase | undefined;
  private readonly ping: PingPhase | undefined;

  constructor(plan: EnginePlan) {
    this.plan = plan;
    this.globalCap = plan.timing.maxParallelism;
    this.events = new EventQueue<ScanEvent>(() => this.interrupt('Stopped by the caller'));
    this.summary = newSummary(plan.start.startTime);
    this.pacer = new SendPacer(plan.timing, plan.maxRateNow);
    this.reports = new HostReports(this.events, plan.reverseDns, () => this.checkFinished());
    if (plan.service) {
      this.service = new ServicePhase(plan.service, {
        timing: plan.timing,
        gate: () => this.pacer.takeOne(),
        onSend: () => this.summary.probesSent++,
        serviceName: plan.serviceName,
      });
    }
    if (plan.ping && (plan.ping.udp || plan.ping.echo)) {
      this.ping = new PingPhase(plan.ping, {
        timing: plan.timing,
        gate: () => this.pacer.takeOne(),
        onSend: (job) => {
          this.summary.probesSent++;
          this.accounting.discoveryProbes++;
          job.pingProbes++;
        },
      });
    }
    if (plan.udp) {
      this.udp = new UdpPhase(plan.udp, {
        timing: plan.timing,
        gate: () => this.pacer.takeOne(),
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
    this.pacer.start();
    if (plan.progressIntervalMs > 0) {
      this.progressTimer = setInterval(() => this.emitProgress(), plan.progressIntervalMs);
      this.progressTimer.unref();
    }
    void this.fill();
  }

  /**
   * Stop now, whatever phase each host is in (discovery, TCP, UDP, -sV, reverse DNS): abandon probes in
   * flight, report what each started host has (incomplete), emit waiting reports without their names, and
   * end the run. Synchronous: when it returns, every remaining event, `end` included, is queued.
   */
  interrupt(message: string): void {
    if (this.stopped || this.finished) return;
    this.stopped = true;
    this.interruptedBy = message;
    this.backend?.close();
    this.ping?.close();
    this.inflight = 0;
    for (const job of this.hosts) {
      if (!job) continue;
      job.set.abandon();
      job.set.inflight = 0;
      this.finalize(job, false);
    }
    this.reports.flush();
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
        this.startHost(next.value.target, next.value.ports, next.value.knownUp, next.value.udpPorts);
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

  private startHost(target: ResolvedTarget, ports: Uint16Array = this.plan.ports, knownUp?: string, udpPorts?: Uint16Array): void {
    const { plan } = this;
    const slot = this.freeSlots.pop() ?? this.hosts.length;
    const loopback = plan.isLoopback(target.address);
    const discovery = plan.discoveryPorts && !loopback && knownUp === undefined ? plan.discoveryPorts : null;
    const reason = knownUp ?? (loopback ? 'localhost-response' : discovery ? '' : 'user-set');
    const job = new HostJob(slot, target, ports, discovery, plan.timing, reason, this.sharedRtt);
    if (udpPorts) job.udpPorts = udpPorts;
    this.hosts[slot] = job;
    this.activeCount++;
    this.summary.hostsTotal++;
    if (plan.timing.hostTimeoutMs > 0) {
      job.hostTimer = setTimeout(() => this.hostTimeout(job), plan.timing.hostTimeoutMs);
      job.hostTimer.unref();
    }
    if (job.phase === 'discovery' && this.ping) {
      job.pinging = true;
      this.ping.start(job, (v) => this.onPing(job, v));
    }
    if (job.set.size === 0) this.advance(job);
  }

  /** The host's -PU/-PE probes ended: proof of life ends discovery (once its TCP pings in flight are back). */
  private onPing(job: HostJob, v: PingVerdict): void {
    if (this.stopped || this.hosts[job.slot] !== job || job.phase !== 'discovery') return;
    job.pinging = false;
    if (v.up) {
      job.upReason ??= v.reason;
      if (v.rttUs > 0 && v.rttUs < 900_000) {
        job.rtt.update(v.rttUs);
        job.sharedRtt?.update(v.rttUs);
      }
      job.set.abandon();
    } else {
      job.pingEvidence = v.reason;
    }
    if (job.set.inflight === 0 && (job.set.done() || (v.up && job.set.queued() === 0))) {
      this.advance(job);
      this.pump(); // the host's ports are queued now, and no answer is on its way to pump for them
    }
  }

  private hostTimeout(job: HostJob): void {
    if (job.phase === 'done' || this.stopped) return;
    this.ping?.cancel(job);
    job.pinging = false;
    job.timedOut = true;
    job.set.abandon();
    if (job.set.inflight === 0) this.finalize(job, true);
  }

  private pump(): void {
    if (this.stopped || !this.backend) return;
    // One reading of the send budget decides both what is sent now and whether a timer must wake the pump
    // later. Reading the clock twice lost the wakeup: the first reading said "no token yet" (nothing sent),
    // a second one microseconds later said "a token is here" (so no timer), and with no probe in flight
    // nothing ever called pump() again (issue 10: about one --scan-delay scan in 70 hung; docs/engine.md).
    const allowance = this.pacer.available();
    let budget = Math.min(this.globalCap - this.inflight, allowance);
    let sent = 0;
    let wait = Infinity;
    const n = this.hosts.length;
    for (let k = 0; k < n && budget > 0; k++) {
      const job = this.hosts[(this.rr + k) % n];
      if (!job || job.phase === 'done' || job.timedOut) continue;
      const hostAllowance = job.pacer.available();
      const perHostRate = this.plan.maxRatePerHost ?? 0;
      const perHost = job.rateRoom(perHostRate);
      const room = Math.min(budget, job.window() - job.set.inflight, job.set.queued(), hostAllowance, perHost);
      // A host paced to its answer rate (answer-pacer.ts) or capped by --max-rate-per-host needs a timer too,
      // by the same one-reading rule: these readings decide both the batch and the wakeup.
      if (hostAllowance - Math.max(0, room) < 1 && job.set.queued() > Math.max(0, room)) wait = Math.min(wait, job.pacer.msUntilToken());
      if (perHostRate > 0 && perHost - Math.max(0, room) < 1 && job.set.queued() > Math.max(0, room)) wait = Math.min(wait, Math.max(1, Math.ceil(1000 / perHostRate)));
      if (room <= 0) continue;
      const batch = takeBatch(job, room);
      if (!batch) continue;
      const count = batch.ids.length;
      job.spendRate(count);
      this.inflight += count;
      budget -= count;
      sent += count;
      job.pacer.spend(count);
      this.pacer.spend(count);
      this.summary.probesSent += count;
      if (job.phase === 'discovery') this.accounting.discoveryProbes += count;
      else {
        this.accounting.retries += batch.retries;
        this.accounting.portProbes += count - batch.retries;
      }
      this.backend.submit(job.target.address, batch.ids, batch.ports, job.timeoutMs());
    }
    this.rr = (this.rr + 1) % Math.max(1, n);
    // The pacer, not a window, stopped this pump: only a timer brings the pump back (answers may not come).
    if (allowance - sent < 1 && this.hasQueued()) wait = Math.min(wait, this.pacer.msUntilToken());
    if (wait < Infinity) {
      if (!this.pumpTimer) this.accounting.rateWaitMs += wait;
      this.schedulePump(wait);
    }
  }

  private hasQueued(): boolean {
    return this.hosts.some((j) => j !== undefined && j.phase !== 'done' && j.set.queued() > 0);
  }

  /** Run pump() in `ms`, unless a timer already runs it sooner. */
  private schedulePump(ms: number): void {
    const due = performance.now() + ms;
    if (this.pumpTimer && this.pumpDue <= due) return;
    clearTimeout(this.pumpTimer);
    this.pumpDue = due;
    this.pumpTimer = setTimeout(() => {
      this.pumpTimer = undefined;
      this.pump();
    }, ms);
  }

  private onOutcomes(ids: Uint32Array, codes: Int32Array, rtts: Uint32Array): void {
    if (this.stopped) return;
    const touched = new Set<HostJob>();
    let localFailure = false;
    // One clock reading for the answer pacers of the whole batch (answer-pacer.ts: answers are bucketed by 250 ms).
    const now = performance.now();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const job = this.hosts[probeSlot(id)];
      this.inflight--;
      if (!job) continue;
      const idx = probeIndex(id);
      const verdict = classifyConnectOutcome(codes[i]!);
      touched.add(job);
      if (verdict.kind === 'settled') {
        this.localFailures.answered();
        if (verdict.reason === 'conn-refused') job.pacer.noteClosed(now);
        else if (verdict.state === 'open') job.pacer.noteOpen();
        const open = settleProbe(job, idx, verdict.state, verdict.reason, rtts[i]!);
        if (job.phase === 'discovery' && (verdict.state === 'open' || verdict.state === 'closed')) {
          // The connect ping proved the host: its -PU/-PE probes need not be waited for.
          job.upReason ??= verdict.reason;
          if (job.pinging) {
            this.ping?.cancel(job);
            job.pinging = false;
          }
        }
        if (job.phase === 'main') {
          this.portsDone++;
          if (open) {
            this.events.push({ kind: 'port', address: job.target.address, result: open });
            this.service?.add(job, open.port);
          }
        }
      } else if (verdict.kind === 'unanswered') {
        job.pacer.noteSilent(now);
        returnProbe(job, idx, false);
      } else {
        localFailure = true;
        this.localFailures.failed(verdict.errno);
        returnProbe(job, idx, true);
      }
    }
    if (localFailure) {
      // Our own machine ran short (ephemeral ports, descriptors, buffers) or the proxy failed: back off.
      this.globalCap = LocalFailures.backOff(this.globalCap, this.plan.timing.minParallelism);
      const fatal = this.localFailures.fatalMessage();
      if (fatal !== undefined) {
        this.fatal = fatal;
        this.interrupt(fatal);
        return;
      }
    }
    for (const job of touched) this.progressHost(job);
    if (localFailure) this.schedulePump(20);
    else this.pump();
  }

  private progressHost(job: HostJob): void {
    if (job.phase === 'done') return;
    if (job.phase === 'main' && job.pacer.check(job.set.lateAnswers, job.set.answered)) job.set.forgetAttempts();
    if (job.timedOut) {
      if (job.set.inflight === 0) this.finalize(job, true);
      return;
    }
    if (job.set.queued() > 0 || job.set.inflight > 0) return;
    if (job.set.drainParked()) return;
    if (job.set.done() || (job.phase === 'discovery' && job.upReason !== undefined)) this.advance(job);
  }

  private advance(job: HostJob): void {
    if (job.phase === 'discovery') {
      if (job.pinging) return; // onPing decides once the -PU/-PE probes end
      this.accounting.discoveryHostMs += Date.now() - job.startTime;
      if (job.finishDiscovery()) {
        if (job.set.size === 0) this.finalize(job, true);
        return;
      }
      if (this.plan.neighbourUp) void this.checkNeighbour(job, this.plan.neighbourUp);
      else this.finalize(job, true);
      return;
    }
    this.finalize(job, true);
  }

  /** A host silent to the connect ping may still have answered ARP/NDP: then it is up (arp-response). */
  private async checkNeighbour(job: HostJob, neighbourUp: (address: string) => Promise<boolean>): Promise<void> {
    let up = false;
    this.accounting.neighbourChecks++;
    try {
      up = await neighbourUp(job.target.address);
    } catch {
      up = false;
    }
    if (this.stopped || this.hosts[job.slot] !== job) return;
    if (!up) {
      this.finalize(job, true);
      return;
    }
    this.accounting.neighbourUp++;
    job.reviveUp('arp-response');
    if (job.set.size === 0) this.finalize(job, true);
    else this.pump();
  }

  private finalize(job: HostJob, lookupNames: boolean): void {
    if (this.hosts[job.slot] !== job) return;
    this.ping?.cancel(job);
    if (this.startUdp(job, lookupNames)) return;
    if (!this.stopped && !job.timedOut && this.service?.waitFor(job, () => this.finalize(job, lookupNames))) return;
    clearTimeout(job.hostTimer);
    const { plan } = this;
    const report = job.report(plan.serviceName, plan.wildcard.minPorts, plan.wildcard.openRatio);
    if (this.udp) this.summary.probesSent += this.udp.merge(job, report);
    if (this.service?.merge(job, report) === false) report.complete = false;
    job.phase = 'done';
    this.hosts[job.slot] = undefined;
    this.freeSlots.push(job.slot);
    this.activeCount--;
    if (report.status === 'up') this.summary.hostsUp++;
    else this.summary.hostsDown++;
    this.reports.emit(report, lookupNames && !this.stopped);
    if (!this.stopped) void this.fill();
  }

  /** Start the host's UDP phase once its TCP ports are done; true while it runs (finalize waits for it). */
  private startUdp(job: HostJob, lookupNames: boolean): boolean {
    if (!this.udp?.wants(job)) return false;
    if (this.stopped || job.timedOut || job.status !== 'up' || job.phase === 'discovery') return false;
    this.udp.start(job, lookupNames);
    return true;
  }

  private checkFinished(): void {
    if (this.finished) return;
    if (this.reports.pending > 0 || this.activeCount > 0) return;
    if (!this.stopped && (!this.targetsDone || this.filling)) return;
    this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.reports.flush();
    clearInterval(this.progressTimer);
    clearTimeout(this.pumpTimer);
    this.backend?.close();
    this.ping?.close();
    closeSummary(this.summary, this.interruptedBy, this.fatal);
    this.summary.accounting = this.accounting;
    this.events.push({ kind: 'end', summary: this.summary });
    this.events.close();
  }

  private emitProgress(): void {
    const progress = measureProgress(this.hosts, this.portsDone, this.udp, this.summary);
    const total = this.plan.hostsTotal?.();
    if (total !== undefined) progress.hostsTotal = total;
    this.events.push({ kind: 'progress', progress });
  }
}

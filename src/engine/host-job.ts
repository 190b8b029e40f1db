import type { HostReport, PortResult, ResolvedTarget } from '../model/index.js';
import { AnswerPacer } from './answer-pacer.js';
import { PortSet } from './port-set.js';
import { lossEstimate } from './retry-policy.js';
import { RttEstimator } from './rtt.js';
import type { Timing } from './timing.js';

export type Phase = 'discovery' | 'main' | 'done';

/** Answers per congestion block; see `noteAnswer`. */
const BLOCK = 256;

/** One host being scanned: its current port set, RTT estimate, congestion window and outcome. */
export class HostJob {
  phase: Phase;
  set: PortSet;
  readonly rtt = new RttEstimator();
  /** Paces this host's probes once it shows a rate-limited answer rate (answer-pacer.ts). */
  readonly pacer = new AnswerPacer();
  cwnd: number;
  timedOut = false;
  status: HostReport['status'] = 'up';
  statusReason: string;
  readonly startTime = Date.now();
  hostTimer: NodeJS.Timeout | undefined;
  /** This host's own UDP ports (a shard's or a resumed scan's share); undefined = the plan's. */
  udpPorts: Uint16Array | undefined;
  private probesBefore = 0;
  private blockAnswers = 0;
  private blockLate = 0;
  private baselineLoss = -1;
  congestionEvents = 0;
  /** Discovery: the first proof of life (a TCP ping answer or a -PU/-PE verdict); nmap reports the first. */
  upReason: string | undefined;
  /** Discovery: -PU/-PE probes still running (ping-phase.ts), and their evidence when they proved nothing. */
  pinging = false;
  pingEvidence: string | undefined;
  pingProbes = 0;

  constructor(
    readonly slot: number,
    readonly target: ResolvedTarget,
    private readonly mainPorts: Uint16Array,
    discoveryPorts: Uint16Array | null,
    private readonly timing: Timing,
    initialStatusReason: string,
    /** The scan's RTT estimate over all hosts: a host with no answer yet times out by it (as nmap's group timing). */
    readonly sharedRtt?: RttEstimator,
  ) {
    this.cwnd = timing.initialWindow;
    this.statusReason = initialStatusReason;
    if (discoveryPorts) {
      this.phase = 'discovery';
      this.set = new PortSet(discoveryPorts, timing.maxRetries + 1);
    } else {
      this.phase = 'main';
      this.set = new PortSet(mainPorts, timing.maxRetries + 1);
    }
  }

  timeoutMs(): number {
    const t = this.timing;
    const shared = this.sharedRtt;
    if (this.rtt.samples === 0 && shared && shared.samples > 0) {
      // Three times the scan's timeout: other hosts' RTT is a hint, not this host's path (it may be farther).
      const ms = (3 * (shared.srttUs + 4 * shared.rttvarUs)) / 1000;
      return Math.min(t.initialRttTimeoutMs, Math.max(t.minRttTimeoutMs, ms));
    }
    return this.rtt.timeoutMs(t.minRttTimeoutMs, t.maxRttTimeoutMs, t.initialRttTimeoutMs);
  }

  /** Probes this host may have in flight now. --min-rate raises the floor to what that rate needs. */
  window(): number {
    const t = this.timing;
    let w = this.cwnd;
    if (t.minRate > 0) w = Math.max(w, Math.ceil((t.minRate * this.timeoutMs()) / 1000));
    return Math.max(t.minParallelism, Math.min(t.maxParallelism, w));
  }

  /**
   * Congestion control that tells random loss from congestion: the window grows by one per answer (doubling
   * per round trip) and halves only when the late-answer rate of a block of answers rises clearly above the
   * lowest rate seen so far. Loss that does not depend on our rate (a lossy link, a rate-limited ICMP
   * source) keeps the rate at its baseline and costs retries, not speed; loss we cause does not.
   */
  noteAnswer(late: boolean): void {
    if (!late) this.cwnd = Math.min(this.timing.maxParallelism, this.cwnd + 1);
    this.blockAnswers++;
    if (late) this.blockLate++;
    if (this.blockAnswers < BLOCK) return;
    const rate = this.blockLate / this.blockAnswers;
    if (this.baselineLoss >= 0 && rate > 2 * this.baselineLoss + 0.05) {
      this.cwnd = Math.max(this.timing.minParallelism, Math.floor(this.cwnd / 2));
      this.congestionEvents++;
    }
    this.baselineLoss = this.baselineLoss < 0 ? rate : Math.min(this.baselineLoss, rate);
    this.blockAnswers = 0;
    this.blockLate = 0;
  }

  /**
   * Discovery finished: decide up/down as nmap does with its -P* probes combined: up when any probe proved
   * it (the first proof gives the reason), else down with the most telling evidence (an ICMP error over
   * silence).
   */
  finishDiscovery(): boolean {
    let up = this.upReason !== undefined;
    if (up) this.statusReason = this.upReason!;
    for (let i = 0; i < this.set.size && !up; i++) {
      const v = this.set.verdictOf(i);
      if (v && (v.state === 'open' || v.state === 'closed')) {
        up = true;
        this.statusReason = v.state === 'open' ? 'syn-ack' : 'conn-refused';
        break;
      }
      if (v && v.reason !== 'no-response') this.statusReason = v.reason;
    }
    if (!up && this.pingEvidence !== undefined && this.pingEvidence !== 'no-response') this.statusReason = this.pingEvidence;
    this.probesBefore += this.set.probesSent + this.pingProbes;
    if (!up) {
      this.status = 'down';
      if (this.statusReason === 'user-set' || this.statusReason === '') this.statusReason = 'no-response';
      this.phase = 'done';
      return false;
    }
    this.phase = 'main';
    this.set = new PortSet(this.mainPorts, this.timing.maxRetries + 1);
    return true;
  }

  /** Found up by other evidence after its connect ping failed (the neighbour table): scan its ports. */
  reviveUp(reason: string): void {
    this.status = 'up';
    this.statusReason = reason;
    this.phase = 'main';
    this.set = new PortSet(this.mainPorts, this.timing.maxRetries + 1);
  }

  /** --max-rate-per-host: a token bucket per host, refilled at `rate` per second, one second deep at most. */
  private tokens = 1;
  private tokensAt = Date.now();
  rateRoom(rate: number): number {
    if (rate <= 0) return Infinity;
    const now = Date.now();
    this.tokens = Math.min(Math.max(1, rate), this.tokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    return Math.floor(this.tokens);
  }

  spendRate(n: number): void {
    this.tokens -= n;
  }

  report(serviceName: (port: number) => string | undefined, wildcardMinPorts: number, wildcardRatio: number): HostReport {
    const set = this.set;
    const main = this.phase === 'main' || (this.phase === 'done' && this.status === 'up');
    const ports: PortResult[] = [];
    let open = 0;
    if (main) {
      for (let i = 0; i < set.size; i++) {
        const v = set.verdictOf(i);
        if (!v) continue;
        const port = set.ports[i]!;
        const r: PortResult = { protocol: 'tcp', port, state: v.state, reason: v.reason, tries: set.tries[i]! };
        if (set.rttUs[i]! > 0 && v.reason !== 'no-response') r.rttUs = set.rttUs[i]!;
        const name = serviceName(port);
        if (name) r.service = { name, method: 'table', conf: 3 };
        if (v.state === 'open') open++;
        ports.push(r);
      }
      ports.sort((a, b) => a.port - b.port);
    }
    const complete = main ? set.done() : this.status === 'down';
    const report: HostReport = {
      address: this.target.address,
      family: this.target.family,
      hostnames: this.target.hostname ? [{ name: this.target.hostname, type: 'user' }] : [],
      spec: this.target.spec,
      status: this.status,
      statusReason: this.statusReason,
      startTime: this.startTime,
      endTime: Date.now(),
      ports,
      complete,
      timedOut: this.timedOut,
      stats: {
        probesSent: this.probesBefore + (main ? set.probesSent : 0),
        lateAnswers: set.lateAnswers,
        lossEstimate: lossEstimate(set.lost, set.answered),
        retriesUsed: Math.max(0, set.attemptsUsed - 1),
        retryCapHit: set.retryCapHit,
        timeoutMs: Math.round(this.timeoutMs()),
      },
    };
    if (this.pacer.rate > 0) report.stats.answerRateLimit = Math.round(this.pacer.measuredRate);
    if (this.rtt.samples > 0) {
      report.srttUs = Math.round(this.rtt.srttUs);
      report.rttvarUs = Math.round(this.rtt.rttvarUs);
    }
    if (main && set.size >= wildcardMinPorts && open / set.size >= wildcardRatio) {
      report.wildcard = { openRatio: open / set.size, probed: set.size };
    }
    return report;
  }
}

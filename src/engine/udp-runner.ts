import type { UdpBackend, UdpBackendFactory, UdpOutcome } from '../net/index.js';

export interface UdpSend {
  port: number;
  payload: Buffer;
  /** -S: the local address this datagram leaves from (the kernel's choice when absent). */
  source?: string;
}

/**
 * The scan's send budget (--max-rate, --scan-delay): called before each datagram, returns 0 when it may
 * leave now (one token taken) or the milliseconds to wait before asking again.
 */
export type SendGate = () => number;

/**
 * Sends UDP probes to one host through its own backend with a bounded number in flight, and hands back
 * outcomes in the order the probes were given. `stop()` abandons everything: pending runs resolve with
 * `undefined` outcomes so the host's scan can report what it settled so far.
 */
export class UdpRunner {
  private readonly backend: UdpBackend;
  private readonly waiting = new Map<number, (o: UdpOutcome | undefined) => void>();
  /** Runs waiting on the send gate: stop() wakes them so they resolve. */
  private readonly gated = new Map<NodeJS.Timeout, () => void>();
  private nextId = 1;
  stopped = false;
  probesSent = 0;

  constructor(
    factory: UdpBackendFactory,
    private readonly address: string,
    private readonly family: 4 | 6,
    private readonly gate?: SendGate,
  ) {
    this.backend = factory((o) => {
      const w = this.waiting.get(o.id);
      if (!w) return;
      this.waiting.delete(o.id);
      w(o);
    });
  }

  /** Probe every item with at most `window` in flight; `timeoutMs` is read at each send (RTT adapts). */
  run(items: readonly UdpSend[], window: number, timeoutMs: () => number, onOutcome?: (o: UdpOutcome, item: number) => void): Promise<(UdpOutcome | undefined)[]> {
    const out: (UdpOutcome | undefined)[] = new Array<UdpOutcome | undefined>(items.length);
    if (items.length === 0 || this.stopped) return Promise.resolve(out);
    return new Promise((resolve) => {
      let next = 0;
      let pending = 0;
      let waitingGate = false;
      const launch = (): void => {
        while (!this.stopped && pending < window && next < items.length) {
          const wait = this.gate ? this.gate() : 0;
          if (wait > 0) {
            if (waitingGate) return;
            waitingGate = true;
            const timer = setTimeout(wake, wait);
            this.gated.set(timer, wake);
            return;
          }
          const i = next++;
          const id = this.nextId++;
          pending++;
          this.probesSent++;
          this.waiting.set(id, (o) => {
            pending--;
            out[i] = o;
            if (o && onOutcome) onOutcome(o, i);
            if (this.stopped || (next >= items.length && pending === 0)) {
              if (pending === 0) resolve(out);
              return;
            }
            launch();
          });
          this.backend.submit(this.address, this.family, [{ id, port: items[i]!.port, payload: items[i]!.payload }], timeoutMs(), items[i]!.source);
        }
        if (this.stopped && pending === 0) resolve(out);
      };
      const wake = (): void => {
        for (const [t, w] of this.gated) if (w === wake) this.gated.delete(t);
        waitingGate = false;
        launch();
      };
      launch();
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.backend.close();
    const ws = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of ws) w(undefined);
    const gated = [...this.gated];
    this.gated.clear();
    for (const [timer, wake] of gated) {
      clearTimeout(timer);
      wake();
    }
  }
}

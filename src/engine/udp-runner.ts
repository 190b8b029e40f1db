import type { UdpBackend, UdpBackendFactory, UdpOutcome } from '../net/index.js';

export interface UdpSend {
  port: number;
  payload: Buffer;
}

/**
 * Sends UDP probes to one host through its own backend with a bounded number in flight, and hands back
 * outcomes in the order the probes were given. `stop()` abandons everything: pending runs resolve with
 * `undefined` outcomes so the host's scan can report what it settled so far.
 */
export class UdpRunner {
  private readonly backend: UdpBackend;
  private readonly waiting = new Map<number, (o: UdpOutcome | undefined) => void>();
  private nextId = 1;
  stopped = false;
  probesSent = 0;

  constructor(
    factory: UdpBackendFactory,
    private readonly address: string,
    private readonly family: 4 | 6,
  ) {
    this.backend = factory((o) => {
      const w = this.waiting.get(o.id);
      if (!w) return;
      this.waiting.delete(o.id);
      w(o);
    });
  }

  /** Probe every item with at most `window` in flight; `timeoutMs` is read at each send (RTT adapts). */
  run(items: readonly UdpSend[], window: number, timeoutMs: () => number, onOutcome?: (o: UdpOutcome) => void): Promise<(UdpOutcome | undefined)[]> {
    const out: (UdpOutcome | undefined)[] = new Array<UdpOutcome | undefined>(items.length);
    if (items.length === 0 || this.stopped) return Promise.resolve(out);
    return new Promise((resolve) => {
      let next = 0;
      let pending = 0;
      const launch = (): void => {
        while (!this.stopped && pending < window && next < items.length) {
          const i = next++;
          const id = this.nextId++;
          pending++;
          this.probesSent++;
          this.waiting.set(id, (o) => {
            pending--;
            out[i] = o;
            if (o && onOutcome) onOutcome(o);
            if (this.stopped || (next >= items.length && pending === 0)) {
              if (pending === 0) resolve(out);
              return;
            }
            launch();
          });
          this.backend.submit(this.address, this.family, [{ id, port: items[i]!.port, payload: items[i]!.payload }], timeoutMs());
        }
        if (this.stopped && pending === 0) resolve(out);
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
  }
}

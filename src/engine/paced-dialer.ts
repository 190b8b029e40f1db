import { DialError, type DialOptions, type Stream, type StreamDialer } from '../net/index.js';
import type { SendGate } from './udp-runner.js';

/** A counting semaphore whose waiters can give up (an aborted host leaves the queue at once). */
export class Slots {
  private active = 0;
  private readonly waiting = new Set<() => void>();

  constructor(private readonly limit: number) {}

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new DialError('ABORTED'));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        this.waiting.delete(grant);
        reject(new DialError('ABORTED'));
      };
      this.waiting.add(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.active--;
    const next = this.waiting.values().next();
    if (!next.done) {
      this.waiting.delete(next.value);
      next.value();
    }
  }
}

/**
 * A dialer whose every connection is one probe of the scan: it waits for a connection slot (the scan's
 * parallelism) and then for a send token (--max-rate, --scan-delay: the budget TCP and UDP probes share),
 * and holds the slot until the stream closes.
 */
export function pacedDialer(inner: StreamDialer, slots: Slots, gate: SendGate, onSend: () => void): StreamDialer {
  const tokens = new TokenQueue(gate);
  return {
    name: inner.name,
    async dial(address: string, port: number, options: DialOptions = {}): Promise<Stream> {
      await slots.acquire(options.signal);
      let stream: Stream;
      try {
        await tokens.take(options.signal);
        onSend();
        stream = await inner.dial(address, port, options);
      } catch (err) {
        slots.release();
        throw err;
      }
      stream.once('close', () => slots.release());
      return stream;
    },
  };
}

/** Send tokens handed out first come, first served: one port's many probes cannot starve another's. */
class TokenQueue {
  private readonly waiters: { grant: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly gate: SendGate) {}

  take(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new DialError('ABORTED'));
    if (this.waiters.length === 0 && this.gate() === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new DialError('ABORTED'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule(0);
    });
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.serve();
    }, ms);
  }

  private serve(): void {
    while (this.waiters.length > 0) {
      const wait = this.gate();
      if (wait > 0) return this.schedule(wait);
      this.waiters.shift()!.grant();
    }
  }
}

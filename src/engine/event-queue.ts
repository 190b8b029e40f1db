/**
 * A push-to-pull bridge: the engine pushes events, the caller pulls them with `for await`. Stopping the
 * loop early (break/return) calls `onCancel`, which stops the scan.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((r: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private failure: unknown = null;

  constructor(private readonly onCancel: () => void) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (error !== undefined) this.failure = error;
    if (this.waiter && this.head >= this.items.length) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: undefined, done: true });
    }
  }

  /** Everything queued and not yet pulled, taken now (for a caller that must finish synchronously). */
  takeAll(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.head < this.items.length) {
          const value = this.items[this.head++]!;
          if (this.head > 1024 && this.head * 2 > this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.closed) {
          if (this.failure !== null) {
            const f = this.failure;
            this.failure = null;
            return Promise.reject(f instanceof Error ? f : new Error(String(f)));
          }
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => {
          this.waiter = resolve;
        });
      },
      return: () => {
        this.onCancel();
        this.closed = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

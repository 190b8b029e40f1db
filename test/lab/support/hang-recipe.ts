import { connect, createServer } from 'node:net';

/**
 * The recipe of issue 10 item 1: ports 1-6 of 127.0.0.1 (below every ephemeral range, so nothing we start
 * can take them) plus one listener that closes each connection at once.
 */
export const HANG_CLOSED_PORTS: readonly number[] = [1, 2, 3, 4, 5, 6];

export interface HangTarget {
  /** The listener's port (chosen by the kernel). */
  openPort: number;
  close(): Promise<void>;
}

/** Checks that ports 1-6 refuse, then starts the listener that destroys each connection. */
export async function startHangTarget(): Promise<HangTarget> {
  await assertPortsRefuse(HANG_CLOSED_PORTS);
  const server = createServer((c) => c.destroy());
  await new Promise<void>((res, rej) => server.once('error', rej).listen(0, '127.0.0.1', () => res()));
  return {
    openPort: (server.address() as { port: number }).port,
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

/** Fails with a clear message when one of `ports` accepts a connection here: the test's truth would be wrong. */
async function assertPortsRefuse(ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    if (!refused) throw new Error(`something listens on 127.0.0.1:${port}; the hang recipe needs ports ${ports.join(',')} closed`);
  }
}

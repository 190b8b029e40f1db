import { OUTCOME_TIMEOUT, type BackendFactory } from '../../../src/net/backend.js';
import { constants } from 'node:os';
import { prng as rng } from '../../helpers/prng.js';

export { prng as rng } from '../../helpers/prng.js';

export type Truth = 'open' | 'closed' | 'drop';

/**
 * A fake network for engine tests: ports behave as `truth` says, and each probe is lost with probability
 * `loss`. Lost and dropped probes time out after the timeout the engine asked for.
 */
export function fakeNetwork(truth: (address: string, port: number) => Truth, loss: number, seed = 1): { factory: BackendFactory; sent: () => number } {
  const random = rng(seed);
  let sent = 0;
  const factory: BackendFactory = (onOutcomes) => {
    let closed = false;
    const timers = new Set<NodeJS.Timeout>();
    return {
      name: 'fake',
      submit(address, ids, ports, timeoutMs) {
        for (let i = 0; i < ids.length; i++) {
          sent++;
          const t = truth(address, ports[i]!);
          const lost = t === 'drop' || random() < loss;
          const code = lost ? OUTCOME_TIMEOUT : t === 'open' ? 0 : constants.errno.ECONNREFUSED;
          const id = ids[i]!;
          const timer = setTimeout(
            () => {
              timers.delete(timer);
              if (!closed) onOutcomes(Uint32Array.of(id), Int32Array.of(code), Uint32Array.of(lost ? timeoutMs * 1000 : 200));
            },
            lost ? timeoutMs : 0,
          );
          timers.add(timer);
        }
      },
      close() {
        closed = true;
        for (const t of timers) clearTimeout(t);
      },
    };
  };
  return { factory, sent: () => sent };
}

/** `--top-ports N` and the default port set: the N most commonly open ports from portscope's own ranking. */
import { PortSpecError, type Protocol } from '../model/index.js';
import { TOP_TCP } from './data/top-tcp.js';
import { TOP_UDP } from './data/top-udp.js';

const MAX_PORT = 65535;

/**
 * The `n` highest-ranked ports of `protocol`, ascending. Beyond the ranked list the remaining ports follow
 * in ascending order, so `topPorts(65535, p)` is every port 1-65535.
 */
export function topPorts(n: number, protocol: Protocol): number[] {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PORT) {
    throw new PortSpecError(`--top-ports must be a whole number from 1 to ${MAX_PORT}, got ${String(n)}`);
  }
  const ranked = protocol === 'tcp' ? TOP_TCP : TOP_UDP;
  const chosen = new Uint8Array(MAX_PORT + 1);
  let count = 0;
  for (const port of ranked) {
    if (count === n) break;
    chosen[port] = 1;
    count++;
  }
  for (let port = 1; port <= MAX_PORT && count < n; port++) {
    if (!chosen[port]) {
      chosen[port] = 1;
      count++;
    }
  }
  const out: number[] = [];
  for (let port = 1; port <= MAX_PORT; port++) if (chosen[port]) out.push(port);
  return out;
}

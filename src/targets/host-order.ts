/**
 * Hosts in the order a pair walk first reaches them, with bounded state (docs/scale.md "Engine order").
 */
import type { PairWalk } from './walk.js';

/** Hosts admitted lately, direct-mapped: a host seen again soon after is skipped without a cipher step. */
const RECENT = 4096;

/**
 * The host axis of a pair walk, read along the walk. `firstVisit(n)` answers "is the shard's n-th pair
 * the first of its host?" by inverting the cipher for the host's other pairs and stopping at the first
 * one found earlier in this shard. At walk position k of N, an other pair lies earlier with probability
 * about k/N, so the check stops after about N/k steps (at most P, the ports): over the whole walk about
 * N·(1 + ln P) steps, a few per pair. `portsOf` then gives the host's owned port indices in walk order.
 */
export class HostOrder {
  private readonly recent = new Float64Array(RECENT).fill(-1);
  /** Positions of the current host's pairs (-1 = another shard's), by port index. */
  private readonly positions: Float64Array;
  /** Hosts `firstVisit` has returned so far. */
  admitted = 0;

  constructor(readonly walk: PairWalk) {
    this.positions = new Float64Array(walk.portCount);
  }

  /** The host whose first pair (in this shard) is the shard's n-th, or -1 when that pair's host came earlier. */
  firstVisit(n: number): number {
    const { walk, positions } = this;
    const p = walk.portCount;
    const { index, count } = walk.shard;
    const k = index + n * count;
    const q = walk.pairAtPosition(k);
    const j0 = q % p;
    const h = (q - j0) / p;
    if (this.recent[h % RECENT] === h) return -1;
    for (let j = 0; j < p; j++) {
      if (j === j0) {
        positions[j] = k;
        continue;
      }
      const pos = walk.positionOfPair(h * p + j);
      const mine = pos % count === index;
      if (mine && pos < k) return -1;
      positions[j] = mine ? pos : -1;
    }
    this.recent[h % RECENT] = h;
    this.admitted++;
    return h;
  }

  /** Port indices this shard owns on the host `firstVisit` last returned, in walk order (or ascending). */
  portsOf(ascending: boolean): Uint32Array {
    const { positions } = this;
    let c = 0;
    for (let j = 0; j < positions.length; j++) if (positions[j]! >= 0) c++;
    const out = new Uint32Array(c);
    if (ascending) {
      for (let j = 0, i = 0; j < positions.length; j++) if (positions[j]! >= 0) out[i++] = j;
      return out;
    }
    // Positions are distinct: sort them, then map each back to its port index with one forward step.
    const sorted = new Float64Array(c);
    for (let j = 0, i = 0; j < positions.length; j++) if (positions[j]! >= 0) sorted[i++] = positions[j]!;
    sorted.sort();
    const p = this.walk.portCount;
    for (let i = 0; i < c; i++) out[i] = this.walk.pairAtPosition(sorted[i]!) % p;
    return out;
  }
}

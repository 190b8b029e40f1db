/**
 * One seeded walk over host × port. Pair index q = host · P + portIndex names every pair of the space;
 * position k of the walk holds pair perm.at(k). Shard I of N owns positions k ≡ I (mod N), so shards are
 * disjoint, cover the space together and need nothing but (seed, N, I) to agree. docs/scale.md.
 */
import { MAX_DOMAIN, Permutation } from './permutation.js';

export interface ShardSpec {
  index: number;
  count: number;
}

/** The pair at one walk position, as indices into the host space and the port list. */
export interface PairRef {
  host: number;
  portIndex: number;
}

export class PairWalk {
  readonly pairs: number;
  private readonly perm: Permutation;

  constructor(
    readonly hosts: number,
    readonly portCount: number,
    readonly seed: number,
    readonly shard: ShardSpec = { index: 0, count: 1 },
  ) {
    const pairs = hosts * portCount;
    if (!Number.isSafeInteger(pairs) || pairs > MAX_DOMAIN) {
      throw new RangeError(`${hosts} hosts × ${portCount} ports is more pairs than one walk holds (2^52)`);
    }
    checkShard(shard);
    this.pairs = pairs;
    this.perm = new Permutation(pairs, seed);
  }

  /** Pairs this shard owns: positions shard.index, shard.index + count, … below `pairs`. */
  get shardPairs(): number {
    const { index, count } = this.shard;
    return this.pairs > index ? Math.floor((this.pairs - 1 - index) / count) + 1 : 0;
  }

  /** Pair index at the shard's n-th position (0 ≤ n < shardPairs). */
  pairAt(n: number): number {
    return this.perm.at(this.shard.index + n * this.shard.count);
  }

  /** Pair index at walk position k (any shard's). */
  pairAtPosition(k: number): number {
    return this.perm.at(k);
  }

  /** Walk position of pair index q (its shard is the position mod count). */
  positionOfPair(q: number): number {
    return this.perm.positionOf(q);
  }

  /** The shard (0..count-1) that owns pair index q. */
  shardOfPair(q: number): number {
    return this.perm.positionOf(q) % this.shard.count;
  }

  /** Whether this walk's shard owns (host, portIndex). */
  owns(host: number, portIndex: number): boolean {
    if (this.shard.count === 1) return true;
    return this.shardOfPair(host * this.portCount + portIndex) === this.shard.index;
  }

  /** Fast path of `pairsFrom`: calls `visit(host, portIndex)` per pair until it returns false. */
  forEach(from: number, visit: (host: number, portIndex: number) => boolean | void): void {
    const n = this.shardPairs;
    const p = this.portCount;
    const { index, count } = this.shard;
    const perm = this.perm;
    for (let i = from; i < n; i++) {
      const q = perm.at(index + i * count);
      const portIndex = q % p;
      if (visit((q - portIndex) / p, portIndex) === false) return;
    }
  }

  /** This shard's pairs from position `from` on, in walk order. */
  *pairsFrom(from = 0): Generator<PairRef> {
    const n = this.shardPairs;
    const p = this.portCount;
    for (let i = from; i < n; i++) {
      const q = this.pairAt(i);
      const portIndex = q % p;
      yield { host: (q - portIndex) / p, portIndex };
    }
  }
}

/** Throws RangeError with a one-line reason unless 0 ≤ index < count, both integers. */
export function checkShard(shard: ShardSpec): void {
  if (!Number.isInteger(shard.count) || shard.count < 1) throw new RangeError(`shard count ${shard.count} must be an integer ≥ 1`);
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(`shard index ${shard.index} must be an integer from 0 to ${shard.count - 1}`);
  }
}

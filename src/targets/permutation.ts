/**
 * A keyed permutation of [0, n) with O(1) state: a format-preserving cipher built as a Feistel network over
 * the mixed-radix domain Z_a × Z_b with a·b ≥ n (Black & Rogaway, "Ciphers with Arbitrary Finite Domains",
 * CT-RSA 2002, construction FE2), then cycle-walking to stay below n. With a = ⌈√n⌉ and b = ⌈n/a⌉,
 * a·b − n < a, so cycle-walking almost never takes a second step. docs/scale.md explains the choice.
 *
 * Arithmetic stays in doubles: n ≤ 2^53 keeps every intermediate value an exact integer.
 */

/** Rounds of the Feistel network; any count is a bijection, six mix well enough for scan order. */
const ROUNDS = 6;
/** a·b may exceed n by up to a; 2^52 leaves that headroom below 2^53. */
export const MAX_DOMAIN = 2 ** 52;

export class Permutation {
  readonly size: number;
  private readonly a: number;
  private readonly b: number;
  private readonly keys: Int32Array;

  constructor(size: number, seed: number) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`permutation size ${size} is not a safe integer ≥ 0`);
    this.size = size;
    this.a = Math.max(1, Math.ceil(Math.sqrt(size)));
    this.b = Math.max(1, Math.ceil(size / this.a));
    this.keys = roundKeys(seed >>> 0);
  }

  /** The element at position x of the walk (x in [0, size)). */
  at(x: number): number {
    let y = this.encrypt(x);
    while (y >= this.size) y = this.encrypt(y);
    return y;
  }

  /** The position of element y in the walk: the inverse of `at`. */
  positionOf(y: number): number {
    let x = this.decrypt(y);
    while (x >= this.size) x = this.decrypt(x);
    return x;
  }

  /** One pass of the cipher over Z_a × Z_b: x = L + a·R with L in Z_a, R in Z_b. */
  private encrypt(x: number): number {
    const { a, b, keys } = this;
    let l = x % a;
    let r = (x - l) / a;
    for (let j = 0; j < ROUNDS; j++) {
      // Even rounds turn (Z_a, Z_b) into (Z_b, Z_a); odd rounds turn it back. Both halves stay below 2^27,
      // so this is int32 arithmetic (a double % costs a libm call: ten times slower).
      const m = (j & 1) === 0 ? a : b;
      let t = l + (mix(r, keys[j]!) % m);
      if (t >= m) t -= m;
      l = r;
      r = t;
    }
    return l + a * r;
  }

  private decrypt(y: number): number {
    const { a, b, keys } = this;
    let l = y % a;
    let r = (y - l) / a;
    for (let j = ROUNDS - 1; j >= 0; j--) {
      const m = (j & 1) === 0 ? a : b;
      const prevR = l;
      let t = r - (mix(prevR, keys[j]!) % m);
      if (t < 0) t += m;
      l = t;
      r = prevR;
    }
    return l + a * r;
  }
}

/**
 * Round function: a 31-bit avalanche mix of the half-block and the round key (the finaliser of MurmurHash3,
 * public domain), kept non-negative int32 so that callers' `%` stays integer. Half-blocks are < 2^27.
 */
function mix(v: number, key: number): number {
  let h = v ^ key;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/** Round keys from the seed with SplitMix32 steps, so nearby seeds give unrelated walks. */
function roundKeys(seed: number): Int32Array {
  const keys = new Int32Array(ROUNDS);
  let s = seed | 0;
  for (let i = 0; i < ROUNDS; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    keys[i] = z ^ (z >>> 15);
  }
  return keys;
}

/** A seed as the user gives it (`--seed 42`, `--seed lab-run`) → 32 bits; FNV-1a for text. */
export function seedValue(seed: string | number): number {
  if (typeof seed === 'number' && Number.isInteger(seed)) return seed >>> 0;
  const text = String(seed);
  if (/^[0-9]{1,10}$/.test(text) && Number(text) <= 0xffffffff) return Number(text) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

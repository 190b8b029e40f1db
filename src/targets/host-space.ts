/**
 * The walk's host axis: every address to scan as a sorted list of disjoint runs, with exclusions and the
 * blocklist already cut out, so host i of the space is found by a binary search over run offsets. A /8 is
 * one run; memory grows with the number of runs, never with the number of addresses.
 */
import { TargetSpecError, type AddressFamily, type ResolvedTarget, type Resolver, type TargetProblem } from '../model/index.js';
import { bitsOf, formatAddress, parseAddress } from './address.js';
import type { ExclusionSet } from './exclusions.js';
import { literalFamily, literalRuns, parseTargetSpec, type TargetSpec } from './spec.js';
import { quoteInput } from './quote.js';

/** Beyond this many separate runs (sparse octet ranges, scattered exclusions) the space is refused. */
const MAX_RUNS = 1 << 22;

interface Run {
  family: AddressFamily;
  first: bigint;
  last: bigint;
  spec: string;
}

export interface HostSpaceOptions {
  exclusions: ExclusionSet;
  /** Skipped inside ranges and names' blocks; an address given alone is scanned anyway (docs/scale.md). */
  blocklist: ExclusionSet | null;
  resolver: Resolver;
  resolveAll?: boolean;
}

export class HostSpace {
  readonly size: number;
  private readonly families: Uint8Array;
  private readonly firsts: bigint[];
  /** IPv4 runs' first address as a number (-1 for IPv6), for the fast path of `addressAt`. */
  private readonly firstNums: Float64Array;
  /** offsets[i] = hosts before run i; offsets[runs] = size. */
  private readonly offsets: Float64Array;
  private readonly specs: string[];
  private readonly names: Map<string, string>;

  private constructor(runs: Run[], names: Map<string, string>) {
    const n = runs.length;
    this.families = new Uint8Array(n);
    this.firsts = new Array<bigint>(n);
    this.firstNums = new Float64Array(n);
    this.offsets = new Float64Array(n + 1);
    this.specs = new Array<string>(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const r = runs[i]!;
      this.families[i] = r.family;
      this.firsts[i] = r.first;
      this.firstNums[i] = r.family === 4 ? Number(r.first) : -1;
      this.specs[i] = r.spec;
      this.offsets[i] = total;
      total += Number(r.last - r.first + 1n);
      if (total > Number.MAX_SAFE_INTEGER) throw new TargetSpecError('target space too large for one walk (above 2^53 addresses); narrow the IPv6 prefixes');
    }
    this.offsets[n] = total;
    this.size = total;
    this.names = names;
  }

  /** Parse, resolve and cut every spec into runs. Unusable specs become problems, as with -iL lines. */
  static async build(specs: AsyncIterable<string> | Iterable<string>, options: HostSpaceOptions): Promise<{ space: HostSpace; problems: TargetProblem[] }> {
    const runs: Run[] = [];
    const problems: TargetProblem[] = [];
    const names = new Map<string, string>();
    const add = (family: AddressFamily, first: bigint, last: bigint, spec: string, explicit: boolean) => {
      for (const piece of cut(options.exclusions, family, first, last)) {
        const pieces = explicit || !options.blocklist ? [piece] : [...cut(options.blocklist, family, piece[0], piece[1])];
        for (const [a, b] of pieces) {
          runs.push({ family, first: a, last: b, spec });
          if (runs.length > MAX_RUNS) throw new TargetSpecError(`targets split into more than ${MAX_RUNS} separate ranges; simplify them or the exclusions`);
        }
      }
    };
    for await (const raw of specs) {
      let spec: TargetSpec;
      try {
        spec = parseTargetSpec(raw);
      } catch (err) {
        if (!(err instanceof TargetSpecError)) throw err;
        problems.push({ spec: raw.trim(), message: err.message });
        continue;
      }
      if (spec.kind !== 'name') {
        for (const [first, last] of literalRuns(spec)) add(literalFamily(spec), first, last, spec.spec, spec.kind === 'address');
        continue;
      }
      let found: { address: string }[] = [];
      try {
        found = await options.resolver.lookup(spec.name);
      } catch {
        // Reported below, the same way for every resolver failure.
      }
      if (found.length === 0) {
        problems.push({ spec: spec.spec, message: `Failed to resolve ${quoteInput(spec.name)}.` });
        continue;
      }
      const chosen = options.resolveAll ? found : [found.find((a) => !a.address.includes(':')) ?? found[0]!];
      for (const { address } of chosen) {
        const p = parseAddress(address.split('%')[0]!);
        if (!p.ok) {
          problems.push({ spec: spec.spec, message: `${quoteInput(spec.name)} resolved to an unusable address ${quoteInput(address)}.` });
          continue;
        }
        const bits = bitsOf(p.family);
        const prefix = spec.prefix ?? bits;
        if (prefix > bits) {
          problems.push({ spec: spec.spec, message: `invalid target ${quoteInput(spec.spec)}: prefix /${prefix} is above ${bits}` });
          continue;
        }
        const hostBits = BigInt(bits - prefix);
        const first = (p.value >> hostBits) << hostBits;
        names.set(formatAddress(p.family, p.value), spec.name);
        add(p.family, first, first + (1n << hostBits) - 1n, spec.spec, prefix === bits);
      }
    }
    return { space: new HostSpace(mergeRuns(runs), names), problems };
  }

  /** Index of the run holding host i. */
  private runOf(i: number): number {
    const o = this.offsets;
    let lo = 0;
    let hi = o.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (o[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Text of host i (0 ≤ i < size). */
  addressAt(i: number): string {
    const r = this.runOf(i);
    const off = i - this.offsets[r]!;
    const v4 = this.firstNums[r]!;
    if (v4 >= 0) {
      const n = v4 + off;
      return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
    }
    return formatAddress(6, this.firsts[r]! + BigInt(off));
  }

  /**
   * Host i's text as ASCII bytes into `buf` at `off`; returns the offset after it. IPv4 allocates nothing
   * (the dry run of a /8 writes 16 M addresses: per-address strings made V8 grow its heap, docs/scale.md);
   * IPv6 goes through the string form.
   */
  writeAddress(i: number, buf: Uint8Array, off: number): number {
    const r = this.runOf(i);
    const v4 = this.firstNums[r]!;
    if (v4 < 0) {
      const text = formatAddress(6, this.firsts[r]! + BigInt(i - this.offsets[r]!));
      for (let k = 0; k < text.length; k++) buf[off++] = text.charCodeAt(k);
      return off;
    }
    const n = v4 + (i - this.offsets[r]!);
    off = writeOctet(Math.floor(n / 16777216), buf, off);
    buf[off++] = 46;
    off = writeOctet((n >>> 16) & 255, buf, off);
    buf[off++] = 46;
    off = writeOctet((n >>> 8) & 255, buf, off);
    buf[off++] = 46;
    return writeOctet(n & 255, buf, off);
  }

  /** Host i as the engine takes it. */
  targetAt(i: number): ResolvedTarget {
    const r = this.runOf(i);
    const family = this.families[r] as AddressFamily;
    const address = this.addressAt(i);
    const target: ResolvedTarget = { address, family, spec: this.specs[r]! };
    const name = this.names.get(address);
    if (name !== undefined) target.hostname = name;
    return target;
  }

  /** Index of an address in the space, or -1 when it is not part of it. */
  indexOf(address: string): number {
    const p = parseAddress(address);
    if (!p.ok) return -1;
    for (let r = 0; r < this.families.length; r++) {
      if (this.families[r] !== p.family) continue;
      const off = p.value - this.firsts[r]!;
      if (off >= 0n && Number(off) < this.offsets[r + 1]! - this.offsets[r]!) return this.offsets[r]! + Number(off);
    }
    return -1;
  }
}

/** Decimal digits of 0..255 as ASCII. */
function writeOctet(v: number, buf: Uint8Array, off: number): number {
  if (v >= 100) {
    buf[off++] = 48 + ((v / 100) | 0);
    buf[off++] = 48 + (((v / 10) | 0) % 10);
  } else if (v >= 10) {
    buf[off++] = 48 + ((v / 10) | 0);
  }
  buf[off++] = 48 + (v % 10);
  return off;
}

/** Pieces of [first, last] outside the set, ascending. */
function* cut(set: ExclusionSet, family: AddressFamily, first: bigint, last: bigint): Generator<[bigint, bigint]> {
  if (set.empty) {
    yield [first, last];
    return;
  }
  let x = first;
  let open: bigint | undefined;
  while (x <= last) {
    const step = set.step(family, x);
    const end = step.through < last ? step.through : last;
    if (step.excluded) {
      if (open !== undefined) yield [open, x - 1n];
      open = undefined;
    } else if (open === undefined) {
      open = x;
    }
    x = end + 1n;
  }
  if (open !== undefined) yield [open, last];
}

/** Sort by family then address and merge overlaps: in a walk the targets are a set (duplicates scanned once). */
function mergeRuns(runs: Run[]): Run[] {
  runs.sort((p, q) => p.family - q.family || (p.first < q.first ? -1 : p.first > q.first ? 1 : 0));
  const out: Run[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last.family === r.family && r.first <= last.last + 1n) {
      if (r.last > last.last) last.last = r.last;
    } else {
      out.push({ ...r });
    }
  }
  return out;
}

/**
 * `--exclude` / `--excludefile`: the addresses never to touch. Held as merged intervals per family (plus
 * octet matchers for sparse ranges), so the walker can step over a whole excluded block in one move.
 */
import { PortscopeError, TargetSpecError, type AddressFamily, type Resolver } from '../model/index.js';
import { bitsOf, parseAddress, V4_MAPPED_BASE } from './address.js';
import { OctetMatcher, octetRunCount } from './octets.js';
import { literalRuns, parseSpec, type TargetSpec } from './spec.js';
import { quoteInput } from './quote.js';

/** Octet ranges with more runs than this are tested per address rather than listed as intervals. */
const MAX_OCTET_INTERVALS = 4096;
/** Names in an exclude file are resolved this many at a time. */
const RESOLVE_BATCH = 32;
const V4_LAST = (1n << 32n) - 1n;

/** Whether `x` is excluded, and the last address (≥ x) that is sure to share that status. */
export interface ExclusionStep {
  excluded: boolean;
  through: bigint;
}

export class ExclusionSet {
  private readonly starts: Record<AddressFamily, bigint[]> = { 4: [], 6: [] };
  private readonly ends: Record<AddressFamily, bigint[]> = { 4: [], 6: [] };
  private readonly matchers: OctetMatcher[];

  private constructor(intervals: Record<AddressFamily, [bigint, bigint][]>, matchers: OctetMatcher[]) {
    this.matchers = matchers;
    for (const family of [4, 6] as const) {
      const merged = mergeIntervals(intervals[family]);
      this.starts[family] = merged.map((i) => i[0]);
      this.ends[family] = merged.map((i) => i[1]);
    }
  }

  /**
   * Parse and resolve every exclusion up front. Names exclude every address they resolve to; a name that
   * does not resolve is an error, because scanning on without the exclusion could touch what the user
   * asked us to leave alone.
   */
  static async build(specs: readonly string[], resolver: Resolver): Promise<ExclusionSet> {
    const intervals: Record<AddressFamily, [bigint, bigint][]> = { 4: [], 6: [] };
    const matchers: OctetMatcher[] = [];
    const names: Extract<TargetSpec, { kind: 'name' }>[] = [];
    for (const raw of specs) {
      const spec = parseSpec(raw, 'exclusion');
      if (spec.kind === 'name') names.push(spec);
      else if (spec.kind === 'octets' && octetRunCount(spec.octets) > MAX_OCTET_INTERVALS) matchers.push(new OctetMatcher(spec.octets));
      else for (const run of literalRuns(spec)) intervals[spec.kind === 'octets' ? 4 : spec.family].push(run);
    }
    for (let i = 0; i < names.length; i += RESOLVE_BATCH) {
      const batch = names.slice(i, i + RESOLVE_BATCH);
      const resolved = await Promise.all(batch.map((n) => resolveExclusion(n, resolver)));
      for (const list of resolved) for (const [family, run] of list) intervals[family].push(run);
    }
    addMappedTwins(intervals);
    return new ExclusionSet(intervals, matchers);
  }

  get empty(): boolean {
    return this.starts[4].length === 0 && this.starts[6].length === 0 && this.matchers.length === 0;
  }

  step(family: AddressFamily, x: bigint): ExclusionStep {
    const starts = this.starts[family];
    const ends = this.ends[family];
    const i = lastAtOrBelow(starts, x);
    if (i >= 0 && ends[i]! >= x) return { excluded: true, through: ends[i]! };
    const matched = this.matcherEnd(family, x);
    if (matched !== undefined) return { excluded: true, through: matched };
    const nextStart = starts[i + 1];
    const freeThrough = nextStart === undefined ? (1n << BigInt(bitsOf(family))) - 1n : nextStart - 1n;
    // With matchers present the next excluded address may come at any step; look again at each one.
    return { excluded: false, through: this.matchers.length > 0 ? x : freeThrough };
  }

  private matcherEnd(family: AddressFamily, x: bigint): bigint | undefined {
    if (this.matchers.length === 0) return undefined;
    let v4: bigint;
    if (family === 4) v4 = x;
    else if (x >> 32n === 0xffffn) v4 = x & V4_LAST;
    else return undefined;
    for (const m of this.matchers) {
      const end = m.coverEnd(Number(v4));
      if (end !== undefined) return family === 4 ? BigInt(end) : V4_MAPPED_BASE + BigInt(end);
    }
    return undefined;
  }
}

async function resolveExclusion(spec: Extract<TargetSpec, { kind: 'name' }>, resolver: Resolver): Promise<[AddressFamily, [bigint, bigint]][]> {
  let found: { address: string }[];
  try {
    found = await resolver.lookup(spec.name);
  } catch (err) {
    if (err instanceof PortscopeError) throw new TargetSpecError(`excluded host: ${err.message}`);
    found = [];
  }
  if (found.length === 0) {
    throw new TargetSpecError(`cannot resolve excluded host ${quoteInput(spec.name)}; not scanning without its exclusion`);
  }
  const out: [AddressFamily, [bigint, bigint]][] = [];
  for (const { address } of found) {
    const p = parseAddress(address.split('%')[0]!);
    if (!p.ok) throw new TargetSpecError(`excluded host ${quoteInput(spec.name)} resolved to an unusable address ${quoteInput(address)}`);
    const bits = bitsOf(p.family);
    const prefix = spec.prefix ?? bits;
    if (prefix > bits) throw new TargetSpecError(`invalid exclusion ${quoteInput(spec.spec)}: prefix /${prefix} is above ${bits} for ${address}`);
    const hostBits = BigInt(bits - prefix);
    const first = (p.value >> hostBits) << hostBits;
    out.push([p.family, [first, first + (1n << hostBits) - 1n]]);
  }
  return out;
}

/**
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 §2.5.5.2) reaches the same IPv4 host through a
 * dual-stack socket, so excluding one form must exclude the other.
 */
function addMappedTwins(intervals: Record<AddressFamily, [bigint, bigint][]>): void {
  const fromV6: [bigint, bigint][] = [];
  for (const [lo, hi] of intervals[6]) {
    // biome-ignore lint/complexity/useMathMinMax: bigint, which Math.max does not take
    const a = lo > V4_MAPPED_BASE ? lo : V4_MAPPED_BASE;
    const b = hi < V4_MAPPED_BASE + V4_LAST ? hi : V4_MAPPED_BASE + V4_LAST;
    if (a <= b) fromV6.push([a - V4_MAPPED_BASE, b - V4_MAPPED_BASE]);
  }
  for (const [lo, hi] of intervals[4]) intervals[6].push([V4_MAPPED_BASE + lo, V4_MAPPED_BASE + hi]);
  intervals[4].push(...fromV6);
}

function mergeIntervals(list: [bigint, bigint][]): [bigint, bigint][] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

/** Index of the last element ≤ x in an ascending array, or -1. */
function lastAtOrBelow(sorted: readonly bigint[], x: bigint): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * nmap's IPv4 octet ranges (`10.0.0.1-20`, `192.168.3-5,7.1`, `10.0.0.*`): each octet is a set of values
 * (nmap(1), "Target Specification"). The set of addresses is their cartesian product, which is walked as
 * contiguous runs so that `10.*.*.*` is one run rather than 16M single addresses.
 */
import { parseOctet } from './address.js';

/** Sorted, unique values of each of the four octets. */
export type OctetSets = readonly (readonly number[])[];

/** The four octet sets of `host`, or the reason it is not a valid octet-range expression. */
export function parseOctetSets(host: string): OctetSets | string {
  const parts = host.split('.');
  if (parts.length !== 4) return `expected 4 dot-separated octets, got ${parts.length}`;
  const sets: number[][] = [];
  for (let i = 0; i < 4; i++) {
    if (parts[i] === '') return `octet ${i + 1} is empty`;
    const set = parseOctetPart(parts[i]!);
    if (typeof set === 'string') return set;
    sets.push(set);
  }
  return sets;
}

function parseOctetPart(part: string): number[] | string {
  const marks = new Uint8Array(256);
  for (const item of part.split(',')) {
    if (item === '') return `empty item in "${part}"`;
    let lo: number;
    let hi: number;
    if (item === '*') {
      lo = 0;
      hi = 255;
    } else if (item.includes('-')) {
      const dash = item.indexOf('-');
      if (item.indexOf('-', dash + 1) >= 0) return `range "${item}" has more than one "-"`;
      const a = item.slice(0, dash);
      const b = item.slice(dash + 1);
      // nmap: an omitted start means 0, an omitted end 255.
      const x = a === '' ? 0 : parseOctet(a);
      const y = b === '' ? 255 : parseOctet(b);
      if (typeof x === 'string') return x;
      if (typeof y === 'string') return y;
      if (x > y) return `range ${item} has its start above its end`;
      lo = x;
      hi = y;
    } else {
      const x = parseOctet(item);
      if (typeof x === 'string') return x;
      lo = hi = x;
    }
    marks.fill(1, lo, hi + 1);
  }
  const values: number[] = [];
  for (let v = 0; v < 256; v++) if (marks[v]) values.push(v);
  return values;
}

/** Number of addresses the sets describe. */
export function octetCount(sets: OctetSets): bigint {
  return sets.reduce((n, s) => n * BigInt(s.length), 1n);
}

/** Maximal intervals [lo, hi] of a sorted value list. */
function intervalsOf(values: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last && last[1] === v - 1) last[1] = v;
    else out.push([v, v]);
  }
  return out;
}

/**
 * The run layout: octets after `pivot` are all full (0-255), so every interval of the pivot octet, for each
 * combination of the octets before it, is one contiguous block of addresses `span` long.
 */
interface Layout {
  pivot: number;
  span: number;
  pivotIntervals: [number, number][];
}

function layoutOf(sets: OctetSets): Layout {
  let pivot = 3;
  while (pivot >= 0 && sets[pivot]!.length === 256) pivot--;
  if (pivot < 0) return { pivot: 0, span: 2 ** 24, pivotIntervals: [[0, 255]] };
  return { pivot, span: 256 ** (3 - pivot), pivotIntervals: intervalsOf(sets[pivot]!) };
}

/** How many runs `octetRuns` yields, without yielding them. */
export function octetRunCount(sets: OctetSets): bigint {
  const { pivot, pivotIntervals } = layoutOf(sets);
  let n = BigInt(pivotIntervals.length);
  for (let i = 0; i < pivot; i++) n *= BigInt(sets[i]!.length);
  return n;
}

/** Contiguous address runs [first, last] in ascending order; memory stays flat however large the product. */
export function* octetRuns(sets: OctetSets): Generator<[bigint, bigint]> {
  const { pivot, span, pivotIntervals } = layoutOf(sets);
  const outer = sets.slice(0, pivot);
  const index = new Array<number>(pivot).fill(0);
  for (;;) {
    let base = 0;
    for (let i = 0; i < pivot; i++) base = base * 256 + outer[i]![index[i]!]!;
    base *= 256 * span;
    for (const [a, b] of pivotIntervals) yield [BigInt(base + a * span), BigInt(base + (b + 1) * span - 1)];
    // Odometer over the octets before the pivot, last octet fastest, so runs come out ascending.
    let i = pivot - 1;
    while (i >= 0 && index[i] === outer[i]!.length - 1) index[i--] = 0;
    if (i < 0) return;
    index[i]!++;
  }
}

/**
 * Membership test for exclusions too sparse to list as intervals (`*.*.*.1` would be 16M of them):
 * `coverEnd(x)` says whether x is in the set and, if so, the last address of the run holding it, so the
 * caller can skip the whole run at once.
 */
export class OctetMatcher {
  private readonly marks: Uint8Array[];
  private readonly layout: Layout;

  constructor(sets: OctetSets) {
    this.marks = sets.map((s) => {
      const m = new Uint8Array(256);
      for (const v of s) m[v] = 1;
      return m;
    });
    this.layout = layoutOf(sets);
  }

  coverEnd(x: number): number | undefined {
    for (let i = 0; i < 4; i++) if (!this.marks[i]![(x >>> (24 - 8 * i)) & 255]) return undefined;
    const { pivot, span, pivotIntervals } = this.layout;
    const v = (x >>> (24 - 8 * pivot)) & 255;
    const hit = pivotIntervals.find(([a, b]) => v >= a && v <= b)!;
    const runStart = x - (x % span) - (v - hit[0]) * span;
    return runStart + (hit[1] - hit[0] + 1) * span - 1;
  }
}

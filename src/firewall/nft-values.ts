import { PROTO_NUMBERS } from './protocols.js';
import type { Field, Interval, ValueSet } from './types.js';
import { addrToBig, prefixInterval } from './values.js';

/** Thrown inside the nft reader when an expression is beyond what we know; becomes `rule.unknown`. */
export class UnknownConstruct extends Error {}

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Elements of a right-hand side: a value, an anonymous set, a list (ct state in {…}). */
export function elements(right: Json): Json[] {
  if (Array.isArray(right)) return right;
  if (isObj(right) && 'set' in right) return Array.isArray(right.set) ? right.set : [right.set];
  return [right];
}

function unwrap(e: Json): Json {
  return isObj(e) && 'elem' in e && isObj(e.elem) ? e.elem.val : e;
}

function num(e: Json, field: Field): number {
  if (typeof e === 'number' && Number.isInteger(e)) return e;
  if (typeof e === 'string') {
    if (field === 'l4proto' && e in PROTO_NUMBERS) return PROTO_NUMBERS[e]!;
    if (field === 'nfproto' && (e === 'ipv4' || e === 'ipv6')) return e === 'ipv4' ? 4 : 6;
    if (/^\d+$/.test(e)) return Number(e);
  }
  throw new UnknownConstruct(`value ${JSON.stringify(e)} for ${field}`);
}

/** The kind of values a field compares with. */
export function kindOf(field: Field): ValueSet['kind'] {
  switch (field) {
    case 'saddr':
    case 'daddr':
      return 'addr';
    case 'iif':
    case 'iifname':
    case 'oifname':
      return 'name';
    case 'ctstate':
    case 'ctstatus':
      return 'ctstate';
    case 'dstlocal':
      return 'bool';
    default:
      return 'num';
  }
}

/** nft JSON elements → a value set for `field`. */
export function toValueSet(items: readonly Json[], field: Field, family: 4 | 6 | undefined): ValueSet {
  const kind = kindOf(field);
  if (kind === 'num') {
    const ranges: Interval<number>[] = [];
    for (const raw of items) {
      const e = unwrap(raw);
      if (isObj(e) && Array.isArray(e.range)) ranges.push([num(e.range[0], field), num(e.range[1], field)]);
      else {
        const n = num(e, field);
        ranges.push([n, n]);
      }
    }
    return { kind, ranges };
  }
  if (kind === 'addr') {
    const ranges: Interval<bigint>[] = [];
    let fam = family;
    for (const raw of items) {
      const e = unwrap(raw);
      let r: { family: 4 | 6; range: Interval<bigint> } | null = null;
      if (typeof e === 'string') r = prefixInterval(e);
      else if (isObj(e) && isObj(e.prefix) && typeof e.prefix.addr === 'string' && typeof e.prefix.len === 'number') r = prefixInterval(e.prefix.addr, e.prefix.len);
      else if (isObj(e) && Array.isArray(e.range) && typeof e.range[0] === 'string' && typeof e.range[1] === 'string') {
        const lo = addrToBig(e.range[0]);
        const hi = addrToBig(e.range[1]);
        if (lo && hi && lo.family === hi.family) r = { family: lo.family, range: [lo.value, hi.value] };
      }
      if (!r) throw new UnknownConstruct(`address ${JSON.stringify(e)}`);
      fam = r.family;
      ranges.push(r.range);
    }
    return { kind, family: fam ?? 4, ranges };
  }
  const strs = items.map((raw) => {
    const e = unwrap(raw);
    if (typeof e !== 'string') throw new UnknownConstruct(`value ${JSON.stringify(e)} for ${field}`);
    return e;
  });
  if (kind === 'ctstate') return { kind, items: strs };
  return { kind: 'name', items: strs };
}

/** `<`, `>`, `<=`, `>=` on a number → the interval it accepts. */
export function comparison(op: string, n: number, max: number): Interval<number> | null {
  switch (op) {
    case '<':
      return [0, n - 1];
    case '<=':
      return [0, n];
    case '>':
      return [n + 1, max];
    case '>=':
      return [n, max];
    default:
      return null;
  }
}

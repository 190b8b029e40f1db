import type { Chain, Interval, Rule } from './types.js';

/** Ranges wider than this are not indexed per port: such rules are checked for every port (generic). */
const INDEX_LIMIT = 1024;

/**
 * A chain's rules indexed by destination port for one transport protocol: for a port, the rules that can
 * match it are the generic ones (no positive dport match) and those whose dport set holds the port. The
 * evaluator walks their merge in rule order, so a 10,000-rule chain costs a few rules per port.
 */
export interface CompiledChain {
  chain: Chain;
  generic: Int32Array;
  /** byPort[p]: indices of indexed rules whose dport set holds p (ascending), or undefined. */
  byPort: (number[] | undefined)[];
}

function dportRanges(rule: Rule, proto: 'tcp' | 'udp'): Interval<number>[] | 'never' | null {
  for (const m of rule.matches) {
    if (m.field !== 'dport') continue;
    if (m.proto !== undefined && m.proto !== 'th' && m.proto !== proto) return 'never';
    if (!m.negate && m.values.kind === 'num') return m.values.ranges;
  }
  if (rule.action.kind === 'vmap' && rule.action.key.field === 'dport') {
    const k = rule.action.key;
    if (k.proto !== undefined && k.proto !== 'th' && k.proto !== proto) return 'never';
    return rule.action.entries.flatMap((e) => (e.values.kind === 'num' ? e.values.ranges : []));
  }
  return null;
}

export function compileChain(chain: Chain, proto: 'tcp' | 'udp'): CompiledChain {
  const generic: number[] = [];
  const byPort: (number[] | undefined)[] = [];
  chain.rules.forEach((rule, i) => {
    const ranges = dportRanges(rule, proto);
    if (ranges === 'never') return;
    const size = ranges?.reduce((n, [lo, hi]) => n + (hi - lo + 1), 0) ?? Infinity;
    if (ranges === null || size > INDEX_LIMIT) {
      generic.push(i);
      return;
    }
    for (const [lo, hi] of ranges) {
      for (let p = Math.max(lo, 0); p <= Math.min(hi, 65535); p++) {
        const list = byPort[p];
        if (list === undefined) byPort[p] = [i];
        else if (list[list.length - 1] !== i) list.push(i);
      }
    }
  });
  return { chain, generic: Int32Array.from(generic), byPort };
}

/** Rule indices that can match `port`, in rule order. */
export function candidates(c: CompiledChain, port: number): ArrayLike<number> {
  const specific = c.byPort[port];
  if (specific === undefined) return c.generic;
  const out: number[] = [];
  let a = 0;
  let b = 0;
  while (a < c.generic.length || b < specific.length) {
    const ga = a < c.generic.length ? c.generic[a]! : Infinity;
    const sb = b < specific.length ? specific[b]! : Infinity;
    if (ga < sb) {
      out.push(ga);
      a++;
    } else {
      out.push(sb);
      b++;
    }
  }
  return out;
}

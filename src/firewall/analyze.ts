import type { Chain, Interval, Match, Rule, RuleRef, Ruleset, ValueSet } from './types.js';

/** A rule that can never match: an earlier rule of its chain takes every packet it would. */
export interface ShadowedRule {
  rule: RuleRef;
  by: RuleRef;
}

/** An accept rule for destination ports on which nothing listens (for the families it applies to). */
export interface StaleAccept {
  rule: RuleRef;
  protocol: 'tcp' | 'udp' | 'any';
  ports: number[];
}

function rangesCover<T extends number | bigint>(outer: readonly Interval<T>[], inner: readonly Interval<T>[]): boolean {
  return inner.every(([lo, hi]) => outer.some(([a, b]) => a <= lo && hi <= b));
}

function valuesCover(outer: ValueSet, inner: ValueSet): boolean {
  if (outer.kind === 'num' && inner.kind === 'num') return rangesCover(outer.ranges, inner.ranges);
  if (outer.kind === 'addr' && inner.kind === 'addr') return outer.family === inner.family && rangesCover(outer.ranges, inner.ranges);
  if (outer.kind === 'name' && inner.kind === 'name') return inner.items.every((n) => outer.items.some((o) => (o.endsWith('*') ? n.startsWith(o.slice(0, -1)) && !n.endsWith('*') : o === n) || o === n));
  if (outer.kind === 'ctstate' && inner.kind === 'ctstate') return inner.items.every((s) => outer.items.includes(s));
  if (outer.kind === 'bool' && inner.kind === 'bool') return outer.value === inner.value;
  return false;
}

/** Every packet `inner` matches, `outer` matches too (for the match `o` of the earlier rule). */
function implied(o: Match, inner: readonly Match[]): boolean {
  return inner.some((m) => m.field === o.field && m.negate === o.negate && (o.proto ?? 'th') === (m.proto ?? 'th') && o.family === m.family && (o.negate ? valuesCover(m.values, o.values) : valuesCover(o.values, m.values)));
}

const TERMINAL = new Set(['accept', 'drop', 'reject']);

/**
 * Rules no packet can reach: a rule is shadowed by an earlier one of the same chain that ends evaluation
 * (accept, drop, reject), depends on nothing run-time, and whose every match is implied by the later
 * rule's matches. Conservative: a rule reported is certainly shadowed; some shadowed rules (by a
 * combination of earlier rules) are not found.
 */
export function findShadowedRules(ruleset: Ruleset): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  for (const chain of ruleset.chains) out.push(...shadowedIn(chain));
  return out;
}

function shadowedIn(chain: Chain): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  const deciders: Rule[] = [];
  for (const rule of chain.rules) {
    if (rule.unknown) continue;
    const by = deciders.find((e) => e.matches.every((m) => implied(m, rule.matches)));
    if (by) out.push({ rule: rule.ref, by: by.ref });
    if (TERMINAL.has(rule.action.kind) && !rule.indeterminate) deciders.push(rule);
  }
  return out;
}

/**
 * Accept rules whose destination ports (a port set of at most `limit` ports) have no listener:
 * `listens(protocol, port)` tells whether anything reachable from outside listens.
 */
export function findStaleAccepts(ruleset: Ruleset, listens: (protocol: 'tcp' | 'udp', port: number) => boolean, limit = 1024): StaleAccept[] {
  const out: StaleAccept[] = [];
  for (const chain of ruleset.chains) {
    if (chain.type === 'nat') continue;
    for (const rule of chain.rules) {
      if (rule.action.kind !== 'accept' || rule.unknown) continue;
      const m = rule.matches.find((x) => x.field === 'dport' && !x.negate && x.values.kind === 'num');
      if (m?.values.kind !== 'num') continue;
      const size = m.values.ranges.reduce((n, [lo, hi]) => n + hi - lo + 1, 0);
      if (size > limit) continue;
      const l4 = rule.matches.find((x) => x.field === 'l4proto' && !x.negate && x.values.kind === 'num');
      const protocol: 'tcp' | 'udp' | 'any' =
        m.proto === 'tcp' || m.proto === 'udp'
          ? m.proto
          : l4?.values.kind === 'num' && l4.values.ranges.length === 1 && l4.values.ranges[0]![0] === l4.values.ranges[0]![1]
            ? l4.values.ranges[0]![0] === 6
              ? 'tcp'
              : l4.values.ranges[0]![0] === 17
                ? 'udp'
                : 'any'
            : 'any';
      const protos: ('tcp' | 'udp')[] = protocol === 'any' ? ['tcp', 'udp'] : [protocol];
      const ports: number[] = [];
      for (const [lo, hi] of m.values.ranges) for (let p = lo; p <= hi; p++) if (!protos.some((pr) => listens(pr, p))) ports.push(p);
      if (ports.length) out.push({ rule: rule.ref, protocol, ports });
    }
  }
  return out;
}

import { PROTO_NUMBERS, rejectKind } from './protocols.js';
import { UnknownConstruct, comparison, elements, toValueSet } from './nft-values.js';
import type { Action, Field, Interval, Match, ValueSet } from './types.js';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves `@name` references to the named sets and maps of the rule's table. */
export type SetLookup = (name: string) => Json[] | undefined;

export interface ReadRule {
  matches: Match[];
  action: Action;
  indeterminate?: string;
  unknown?: string;
}

/** Statements that neither decide nor depend on runtime state: the next expression is evaluated. */
const PASSIVE = new Set(['counter', 'log', 'mangle', 'notrack', 'ct helper', 'ct timeout', 'ct expectation', 'set', 'map', 'flow', 'meter', 'synproxy', 'tproxy', 'dup', 'fwd', 'snat', 'masquerade', 'secmark', 'xt-passive']);
/** Statements whose effect depends on state only the running kernel knows. */
const RUNTIME = new Set(['limit', 'quota', 'ct count', 'last']);

const PORT_PROTOS = new Set(['tcp', 'udp', 'th', 'sctp', 'udplite', 'dccp']);
/** Headers of other transports: reading one adds nft's dependency `meta l4proto X` (libnftables payload
 * dependencies), so a TCP/UDP packet never matches, whatever the field and operator (firewalld's
 * `icmpv6 type { nd-router-advert, nd-neighbor-solicit } accept` in its prerouting chain). */
const OTHER_L4 = new Set(['icmp', 'icmpv6', 'igmp', 'ah', 'esp', 'comp', 'gre']);

interface Left {
  field: Field;
  proto?: Match['proto'];
  family?: 4 | 6;
}

/** The left side of a match → the packet field it reads. Runtime-dependent ones return a reason string. */
function readLeft(left: Json): Left | string {
  if (!isObj(left)) throw new UnknownConstruct(`match on ${JSON.stringify(left)}`);
  if (isObj(left.payload)) {
    const { protocol, field } = left.payload as { protocol?: string; field?: string };
    if (protocol && PORT_PROTOS.has(protocol) && (field === 'dport' || field === 'sport')) return { field, proto: protocol as Match['proto'] };
    if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) return { field, family: protocol === 'ip' ? 4 : 6 };
    if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) return { field: 'l4proto', family: protocol === 'ip' ? 4 : 6 };
    if (protocol && OTHER_L4.has(protocol)) return { field: 'never' };
    throw new UnknownConstruct(`payload ${protocol ?? '?'} ${field ?? '?'}`);
  }
  if (isObj(left.meta)) {
    const key = left.meta.key;
    if (key === 'l4proto' || key === 'nfproto' || key === 'iif' || key === 'iifname' || key === 'oifname') return { field: key };
    throw new UnknownConstruct(`meta ${String(key)}`);
  }
  if (isObj(left.ct)) {
    if (left.ct.key === 'state' && left.ct.dir === undefined) return { field: 'ctstate' };
    if (left.ct.key === 'status' && left.ct.dir === undefined) return { field: 'ctstatus' };
    throw new UnknownConstruct(`ct ${String(left.ct.key)}`);
  }
  if (isObj(left.fib)) {
    // Reverse-path filter (firewalld's IPv6_rpfilter: `fib saddr . mark . iif oif missing drop`): a route
    // back to the source through the input interface (strict mode; nft_fib6_eval sets flowi6_oif to the
    // input interface under NFTA_FIB_F_IIF). The packet's mark is 0 for a scan. Other fib lookups (daddr
    // type, loose mode) are not read.
    const { result, flags } = left.fib as { result?: string; flags?: unknown };
    const fl = Array.isArray(flags) ? flags : [flags];
    if (result === 'oif' && fl.includes('saddr') && fl.includes('iif') && !fl.includes('daddr') && fl.every((f) => f === 'saddr' || f === 'iif' || f === 'mark')) return { field: 'rpf' };
    throw new UnknownConstruct(`fib ${fl.join(' . ')} ${result ?? '?'}`);
  }
  if (isObj(left.numgen)) return 'numgen';
  if ('jhash' in left || 'symhash' in left) return 'hash';
  throw new UnknownConstruct(`match on ${Object.keys(left)[0] ?? '?'}`);
}

function refOrElements(right: Json, lookup: SetLookup): Json[] {
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = lookup(right.slice(1));
    if (!set) throw new UnknownConstruct(`set ${right} not in this table`);
    return set;
  }
  return elements(right);
}

function maxOf(field: Field): number {
  return field === 'l4proto' ? 255 : 65535;
}

function readMatch(m: Obj, lookup: SetLookup): Match | string {
  const left = readLeft(m.left);
  if (typeof left === 'string') return left;
  const op = String(m.op ?? '==');
  let values: ValueSet;
  let negate = false;
  if (left.field === 'never') return { field: 'never', negate: false, values: { kind: 'bool', value: true } };
  if (left.field === 'rpf') {
    // `fib … oif missing` is `== false`; `oif exists` (or `!= false`) the opposite.
    if (typeof m.right !== 'boolean' || (op !== '==' && op !== '!=')) throw new UnknownConstruct(`fib oif ${op} ${JSON.stringify(m.right)}`);
    return { field: 'rpf', negate: op === '!=', values: { kind: 'bool', value: m.right } };
  }
  if (op === '==' || op === 'in' || op === '!=') {
    negate = op === '!=';
    values = toValueSet(refOrElements(m.right, lookup), left.field, left.family);
  } else if (typeof m.right === 'number') {
    const r = comparison(op, m.right, maxOf(left.field));
    if (!r) throw new UnknownConstruct(`operator ${op}`);
    values = { kind: 'num', ranges: [r] };
  } else throw new UnknownConstruct(`operator ${op}`);
  return { field: left.field, negate, values, ...(left.proto ? { proto: left.proto } : {}), ...(left.family ? { family: left.family } : {}) };
}

function portInterval(p: Json): Interval<number> | undefined {
  if (typeof p === 'number') return [p, p];
  if (isObj(p) && Array.isArray(p.range) && typeof p.range[0] === 'number' && typeof p.range[1] === 'number') return [p.range[0], p.range[1]];
  if (p === undefined) return undefined;
  throw new UnknownConstruct(`NAT port ${JSON.stringify(p)}`);
}

/** A verdict object (`{"accept": null}`, `{"jump": {"target": "x"}}`…) → an action, or null if it is none. */
export function readVerdict(e: Obj): Action | null {
  if ('accept' in e) return { kind: 'accept' };
  if ('drop' in e) return { kind: 'drop' };
  if ('continue' in e) return { kind: 'continue' };
  if ('return' in e) return { kind: 'return' };
  if (isObj(e.jump) && typeof e.jump.target === 'string') return { kind: 'jump', target: e.jump.target };
  if (isObj(e.goto) && typeof e.goto.target === 'string') return { kind: 'goto', target: e.goto.target };
  if ('reject' in e) {
    const r = isObj(e.reject) ? e.reject : {};
    const kind = rejectKind(typeof r.type === 'string' ? r.type : undefined, typeof r.expr === 'string' ? r.expr : undefined);
    if (!kind) throw new UnknownConstruct(`reject ${JSON.stringify(e.reject)}`);
    return { kind: 'reject', with: kind };
  }
  if ('redirect' in e) {
    const r = isObj(e.redirect) ? e.redirect : {};
    const port = portInterval(r.port);
    return port ? { kind: 'redirect', port } : { kind: 'redirect' };
  }
  if ('dnat' in e) {
    const r = isObj(e.dnat) ? e.dnat : {};
    if (r.addr !== undefined && typeof r.addr !== 'string') throw new UnknownConstruct(`dnat to ${JSON.stringify(r.addr)}`);
    const port = portInterval(r.port);
    return { kind: 'dnat', ...(typeof r.addr === 'string' ? { addr: r.addr } : {}), ...(port ? { port } : {}) };
  }
  if ('queue' in e) throw new UnknownConstruct("queue (the verdict is a userspace program's)");
  return null;
}

function readVmap(v: Obj, lookup: SetLookup): Action {
  const left = readLeft(v.key);
  if (typeof left === 'string') throw new UnknownConstruct(`vmap on ${left}`);
  const entries: { values: ValueSet; action: Action }[] = [];
  for (const pair of refOrElements(v.data, lookup)) {
    if (!Array.isArray(pair) || pair.length !== 2 || !isObj(pair[1])) throw new UnknownConstruct('verdict map element');
    const action = readVerdict(pair[1]);
    if (!action) throw new UnknownConstruct('verdict map value');
    entries.push({ values: toValueSet([pair[0]], left.field, left.family), action });
  }
  const key: Match = { field: left.field, negate: false, values: { kind: 'num', ranges: [] }, ...(left.proto ? { proto: left.proto } : {}), ...(left.family ? { family: left.family } : {}) };
  return { kind: 'vmap', key, entries };
}

/** One rule's `expr` list → its matches and action (see ReadRule). */
export function readRuleExprs(exprs: readonly Json[], lookup: SetLookup): ReadRule {
  const matches: Match[] = [];
  let action: Action = { kind: 'continue' };
  let indeterminate: string | undefined;
  try {
    for (const e of exprs) {
      if (!isObj(e)) throw new UnknownConstruct(`expression ${JSON.stringify(e)}`);
      const key = Object.keys(e)[0] ?? '';
      if (key === 'match' && isObj(e.match)) {
        const m = readMatch(e.match, lookup);
        if (typeof m === 'string') indeterminate ??= m;
        else matches.push(m);
      } else if (key === 'vmap' && isObj(e.vmap)) action = readVmap(e.vmap, lookup);
      else if (RUNTIME.has(key)) indeterminate ??= key;
      else if (PASSIVE.has(key)) continue;
      else {
        const v = readVerdict(e);
        if (!v) throw new UnknownConstruct(key === 'xt' ? 'xt (an iptables-nft extension: read it with iptables-nft-save)' : key);
        action = v;
        // `reject with icmp …` / `icmpv6 …` in an inet table applies to that family only (nft adds the
        // dependency `meta nfproto ipv4|ipv6`, which the JSON listing leaves implicit).
        const rt = key === 'reject' && isObj(e.reject) ? e.reject.type : undefined;
        if (rt === 'icmp' || rt === 'icmpv6') matches.push({ field: 'nfproto', negate: false, values: { kind: 'num', ranges: rt === 'icmp' ? [[4, 4]] : [[6, 6]] } });
      }
    }
  } catch (err) {
    if (err instanceof UnknownConstruct) return { matches, action, unknown: err.message };
    throw err;
  }
  return { matches, action, ...(indeterminate ? { indeterminate } : {}) };
}

export { PROTO_NUMBERS };

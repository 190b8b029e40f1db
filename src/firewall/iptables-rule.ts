import { RulesetError } from './errors.js';
import { splitWords } from './iptables-words.js';
import { PROTO_NUMBERS, rejectKind } from './protocols.js';
import type { Action, Backend, Field, Interval, Match, Rule, ValueSet } from './types.js';
import { parseAddrSpec } from './values.js';

interface Ctx {
  source: string;
  line: number;
  family: 4 | 6;
  backend: Backend;
  table: string;
}

/** Matches (-m) whose result depends on state only the running kernel has. */
const RUNTIME_MODULES = new Set(['limit', 'hashlimit', 'connlimit', 'recent', 'statistic', 'quota', 'time', 'nfacct', 'connbytes', 'rateest', 'cluster']);
/** Matches that never decide a new inbound TCP/UDP connection by themselves, or whose options we read. */
const KNOWN_MODULES = new Set(['tcp', 'udp', 'multiport', 'conntrack', 'state', 'comment', 'addrtype', 'icmp', 'icmp6', 'icmpv6']);
/** IPv6 extension-header matches: a plain TCP/UDP SYN carries none of these headers (ufw's before6.rules). */
const NEVER_MODULES = new Set(['rt', 'frag', 'hbh', 'dst', 'ipv6header', 'mh']);
/** Targets that do not end evaluation (iptables-extensions(8)). */
const PASSIVE_TARGETS = new Set([
  'LOG',
  'NFLOG',
  'ULOG',
  'MARK',
  'CONNMARK',
  'CT',
  'NOTRACK',
  'TRACE',
  'CLASSIFY',
  'TCPMSS',
  'CHECKSUM',
  'SET',
  'AUDIT',
  'MASQUERADE',
  'SNAT',
  'TOS',
  'DSCP',
  'TTL',
  'HL',
  'CONNSECMARK',
  'SECMARK',
  'IDLETIMER',
  'LED',
  'TEE',
]);

function ports(text: string, where: string): Interval<number>[] {
  return text.split(',').map((p) => {
    const [a, b] = p.split(':');
    const lo = a === '' ? 0 : Number(a);
    const hi = b === undefined ? lo : b === '' ? 65535 : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > 65535 || lo > hi) throw new RulesetError(`${where}: bad port "${p}"`);
    return [lo, hi] as Interval<number>;
  });
}

function addrs(text: string, where: string, family: 4 | 6): ValueSet {
  const ranges = text.split(',').map((a) => {
    const r = parseAddrSpec(a);
    if (!r || r.family !== family) throw new RulesetError(`${where}: bad IPv${family} address "${a}"`);
    return r.range;
  });
  return { kind: 'addr', family, ranges };
}

/** `ADDR[:PORT[-PORT]]` of --to-destination; IPv6 addresses come in brackets when a port follows. */
function dnatTarget(text: string, where: string): Action {
  const m = /^\[([^\]]+)\](?::(\d+)(?:-(\d+))?)?$/.exec(text) ?? /^([^:]*?)(?::(\d+)(?:-(\d+))?)?$/.exec(text);
  if (!m) throw new RulesetError(`${where}: bad --to-destination "${text}"`);
  const addr = m[1] === '' ? undefined : m[1]!.split('-')[0];
  const port: Interval<number> | undefined = m[2] === undefined ? undefined : [Number(m[2]), Number(m[3] ?? m[2])];
  return { kind: 'dnat', ...(addr ? { addr } : {}), ...(port ? { port } : {}) };
}

/** One `-A CHAIN …` line of iptables-save → a rule. Bad syntax throws; unknown matches become `unknown`. */
export function readIptablesRule(line: string, ctx: Ctx): Rule {
  const where = ctx.source;
  let words = splitWords(line, where);
  if (words[0]?.startsWith('[')) words = words.slice(1); // iptables-save -c: "[pkts:bytes] -A …"
  const chain = words[1];
  if (!chain) throw new RulesetError(`${where}: -A without a chain name`);
  const matches: Match[] = [];
  let action: Action = { kind: 'continue' };
  let indeterminate: string | undefined;
  let unknown: string | undefined;
  let comment: string | undefined;
  let negate = false;
  let module = '';
  let target = '';
  let toPorts: Interval<number> | undefined;
  let toDest: Action | undefined;
  let rejectWith: string | undefined;
  const add = (field: Field, values: ValueSet, extra: Partial<Match> = {}): void => {
    matches.push({ field, negate, values, ...extra });
  };
  const proto = (): Match['proto'] => {
    const p = matches.find((m) => m.field === 'l4proto' && !m.negate);
    const n = p?.values.kind === 'num' ? p.values.ranges[0]?.[0] : undefined;
    return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 132 ? 'sctp' : 'th';
  };
  for (let i = 2; i < words.length; i++) {
    const w = words[i]!;
    const next = (): string => {
      const v = words[++i];
      if (v === undefined) throw new RulesetError(`${where}: option ${w} needs a value`);
      return v;
    };
    if (w === '!') {
      negate = true;
      continue;
    }
    switch (w) {
      case '-p':
      case '--protocol': {
        const p = next().toLowerCase();
        if (p !== 'all' && p !== '0') {
          const n = /^\d+$/.test(p) ? Number(p) : PROTO_NUMBERS[p];
          if (n === undefined) throw new RulesetError(`${where}: unknown protocol "${p}"`);
          add('l4proto', { kind: 'num', ranges: [[n, n]] });
        }
        break;
      }
      case '-s':
      case '--source':
        add('saddr', addrs(next(), where, ctx.family), { family: ctx.family });
        break;
      case '-d':
      case '--destination':
        add('daddr', addrs(next(), where, ctx.family), { family: ctx.family });
        break;
      case '-i':
      case '--in-interface':
        add('iifname', { kind: 'name', items: [next().replace(/\+$/, '*')] });
        break;
      case '-o':
      case '--out-interface':
        add('oifname', { kind: 'name', items: [next().replace(/\+$/, '*')] });
        break;
      case '-m':
      case '--match':
        module = next();
        break;
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports':
        add('dport', { kind: 'num', ranges: ports(next(), where) }, { proto: proto() });
        break;
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports':
        add('sport', { kind: 'num', ranges: ports(next(), where) }, { proto: proto() });
        break;
      case '--ctstate':
      case '--state':
        add('ctstate', { kind: 'ctstate', items: next().toLowerCase().split(',') });
        break;
      case '--comment':
        comment = next();
        break;
      case '--dst-type': {
        const t = next();
        // A new connection from another host is unicast to one of our addresses: LOCAL, and none of the others.
        if (/^(LOCAL|UNICAST)$/.test(t)) add('dstlocal', { kind: 'bool', value: true });
        else if (/^(MULTICAST|BROADCAST|ANYCAST|BLACKHOLE|UNREACHABLE|PROHIBIT|THROW|NAT|XRESOLVE|UNSPEC)$/.test(t)) add('dstlocal', { kind: 'bool', value: false });
        else unknown ??= `addrtype --dst-type ${t}`;
        break;
      }
      case '--icmp-type':
      case '--icmpv6-type':
        next();
        break;
      case '-j':
      case '--jump':
        target = next();
        break;
      case '-g':
      case '--goto':
        action = { kind: 'goto', target: next() };
        break;
      case '--reject-with':
        rejectWith = next();
        break;
      case '--to-ports': {
        const [p] = ports(next().replace('-', ':'), where);
        toPorts = p;
        break;
      }
      case '--to-destination':
        toDest = dnatTarget(next(), where);
        break;
      case '-c':
        i += 2;
        break;
      case '--syn':
        break; // a new connection's first packet is a SYN
      default: {
        if (!w.startsWith('-')) throw new RulesetError(`${where}: unexpected word "${w.slice(0, 40)}"`);
        // An option of a module or target we do not read: skip its values.
        while (i + 1 < words.length && !words[i + 1]!.startsWith('-') && words[i + 1] !== '!') i++;
        if (target && PASSIVE_TARGETS.has(target)) break;
        if (RUNTIME_MODULES.has(module)) indeterminate ??= module;
        else if (NEVER_MODULES.has(module)) break;
        else if (!KNOWN_MODULES.has(module) || w.startsWith('--')) unknown ??= module === 'set' ? 'ipset match (set contents are not read)' : `${module ? `-m ${module} ` : ''}${w}`;
      }
    }
    if (w === '-m' || w === '--match') {
      if (NEVER_MODULES.has(module)) matches.push({ field: 'never', negate: false, values: { kind: 'bool', value: true } });
      if (RUNTIME_MODULES.has(module)) indeterminate ??= module;
      else if (!KNOWN_MODULES.has(module) && !NEVER_MODULES.has(module) && module !== 'set') unknown ??= `-m ${module}`;
    }
    negate = false;
  }
  if (target) action = targetAction(target, { rejectWith, toPorts, toDest, where, family: ctx.family }) ?? action;
  if (target && !PASSIVE_TARGETS.has(target) && action.kind === 'continue' && !['RETURN'].includes(target)) unknown ??= `target ${target}`;
  const rule: Rule = {
    ref: { backend: ctx.backend, family: ctx.family === 4 ? 'ip' : 'ip6', table: ctx.table, chain, line: ctx.line, text: line, ...(comment !== undefined ? { comment } : {}) },
    matches,
    action,
  };
  if (indeterminate) rule.indeterminate = indeterminate;
  if (unknown) rule.unknown = unknown;
  return rule;
}

function targetAction(target: string, o: { rejectWith: string | undefined; toPorts: Interval<number> | undefined; toDest: Action | undefined; where: string; family: 4 | 6 }): Action | null {
  switch (target) {
    case 'ACCEPT':
      return { kind: 'accept' };
    case 'DROP':
      return { kind: 'drop' };
    case 'RETURN':
      return { kind: 'return' };
    case 'REJECT': {
      const kind = rejectKind(undefined, o.rejectWith ?? (o.family === 4 ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'));
      if (!kind) throw new RulesetError(`${o.where}: unknown --reject-with "${o.rejectWith ?? ''}"`);
      return { kind: 'reject', with: kind };
    }
    case 'REDIRECT':
      return o.toPorts ? { kind: 'redirect', port: o.toPorts } : { kind: 'redirect' };
    case 'DNAT':
      return o.toDest ?? { kind: 'dnat' };
    default:
      if (PASSIVE_TARGETS.has(target)) return { kind: 'continue' };
      // A user-defined chain (upper-case builtins are all listed above; chain names may be anything).
      if (/^(NFQUEUE|QUEUE|TPROXY|SYNPROXY|TARPIT|DELUDE|CHAOS)$/.test(target)) return null;
      return { kind: 'jump', target };
  }
}

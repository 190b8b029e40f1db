/**
 * nmap's `-p` syntax (nmap(1), "Port Specification and Scan Order"): comma-separated ports (`22`), ranges
 * (`8000-8100`, `-100` = 1-100, `60000-` = 60000-65535, `-` = 1-65535), service names and wildcards
 * (`http`, `http*`), and `T:`/`U:`/`S:` prefixes that apply to the items after them until the next prefix.
 * Items without a prefix apply to every scanned protocol. Port 0 is included only when written.
 */
import { PortSpecError, type Protocol } from '../model/index.js';
import { portsOfService } from './services.js';

export interface PortSelection {
  tcp: number[];
  udp: number[];
  /** Things that are not errors but that the user should know (ports for a protocol not scanned). */
  warnings: string[];
}

type PrefixProtocol = Protocol | 'sctp';

const MAX_PORT = 65535;
const PREFIXES: Readonly<Record<string, PrefixProtocol>> = { t: 'tcp', u: 'udp', s: 'sctp' };
/** Service names (IANA: letters, digits, `-`; some entries also `.`, `_`, `+`) plus glob characters. */
const NAME_RE = /^[A-Za-z0-9*?][A-Za-z0-9._+*?-]*$/;

/** Parse a -p spec for a scan of `protocols`. Throws PortSpecError naming the bad item. */
export function parsePortSpec(spec: string, protocols: readonly Protocol[]): PortSelection {
  const marks: Record<Protocol, Uint8Array> = { tcp: new Uint8Array(MAX_PORT + 1), udp: new Uint8Array(MAX_PORT + 1) };
  const warnings = new Set<string>();
  const fail = (item: string, why: string) => new PortSpecError(`invalid port specification ${quote(spec)}: ${quote(item)} ${why}`);
  if (spec.trim() === '') throw new PortSpecError('empty port specification');
  let current: PrefixProtocol | undefined;
  for (const raw of spec.split(',')) {
    let item = raw.trim();
    const prefix = /^([A-Za-z]):/.exec(item);
    if (prefix) {
      const p = PREFIXES[prefix[1]!.toLowerCase()];
      if (p === undefined) throw fail(item, 'has an unknown protocol prefix (use T:, U: or S:)');
      current = p;
      item = item.slice(2).trim();
      if (item === '') throw fail(raw.trim(), 'names no ports after the prefix');
    }
    if (item === '') throw fail(raw, 'is empty (stray comma?)');
    const targets = protocolsFor(current, protocols, warnings);
    const range = parseRange(item);
    if (typeof range === 'string') throw fail(item, range);
    if (range) {
      for (const p of targets) marks[p].fill(1, range[0], range[1] + 1);
      continue;
    }
    if (!NAME_RE.test(item) || item.length > 64) throw fail(item, 'is not a port, a range or a service name');
    const found = portsOfService(item);
    if (!found) throw fail(item, 'matches no known service name');
    for (const p of targets) for (const port of found[p]) marks[p][port] = 1;
  }
  return { tcp: collect(marks.tcp), udp: collect(marks.udp), warnings: [...warnings] };
}

/** The scanned protocols an item applies to; a prefix for a protocol not scanned is a warning (as nmap). */
function protocolsFor(prefix: PrefixProtocol | undefined, scanned: readonly Protocol[], warnings: Set<string>): Protocol[] {
  if (prefix === undefined) return [...scanned];
  if (prefix === 'sctp') {
    warnings.add('S: (SCTP) ports are ignored: portscope does not scan SCTP');
    return [];
  }
  if (!scanned.includes(prefix)) {
    warnings.add(`${prefix === 'tcp' ? 'T:' : 'U:'} ports are ignored: this scan does not probe ${prefix.toUpperCase()}`);
    return [];
  }
  return [prefix];
}

/** [lo, hi] for a number or range, a reason string for a malformed one, undefined for anything else (a name). */
function parseRange(item: string): [number, number] | string | undefined {
  const m = /^([0-9]*)(-?)([0-9]*)$/.exec(item);
  if (!m) return /^[0-9-]+$/.test(item) ? 'is not a port or a range (one "-" at most)' : undefined;
  const [, a = '', dash, b = ''] = m;
  if (!dash) {
    const port = toPort(a);
    return typeof port === 'string' ? port : [port, port];
  }
  // nmap: an omitted start is 1 (port 0 only when written), an omitted end is 65535.
  const lo = a === '' ? 1 : toPort(a);
  const hi = b === '' ? MAX_PORT : toPort(b);
  if (typeof lo === 'string') return lo;
  if (typeof hi === 'string') return hi;
  if (lo > hi) return 'has its start above its end';
  return [lo, hi];
}

function toPort(digits: string): number | string {
  const n = digits.length > 6 ? Infinity : Number(digits);
  return n > MAX_PORT ? `is out of range: ports are 0-${MAX_PORT}` : n;
}

function collect(marks: Uint8Array): number[] {
  const out: number[] = [];
  for (let p = 0; p <= MAX_PORT; p++) if (marks[p]) out.push(p);
  return out;
}

/** Input for a one-line message: control characters escaped, long input cut. */
function quote(text: string): string {
  const short = text.length > 60 ? text.slice(0, 60) + '…' : text;
  return JSON.stringify(short);
}

/** --exclude-ports: remove the ports of `spec` (unprefixed items apply to both protocols) from `selection`. */
export function excludePorts(selection: { tcp: readonly number[]; udp: readonly number[] }, spec: string): { tcp: number[]; udp: number[] } {
  const drop = parsePortSpec(spec, ['tcp', 'udp']);
  const tcp = new Set(drop.tcp);
  const udp = new Set(drop.udp);
  return { tcp: selection.tcp.filter((p) => !tcp.has(p)), udp: selection.udp.filter((p) => !udp.has(p)) };
}

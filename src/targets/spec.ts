/**
 * One target specification as nmap reads it (nmap(1), "Target Specification"): an address, a CIDR block,
 * an IPv4 octet-range expression or a host name, optionally `name/prefix`.
 */
import { TargetSpecError, type AddressFamily } from '../model/index.js';
import { bitsOf, formatAddress, parseIPv6 } from './address.js';
import { octetCount, octetRuns, parseOctetSets, type OctetSets } from './octets.js';
import { quoteInput } from './quote.js';

export type TargetSpec =
  | { kind: 'address'; spec: string; family: AddressFamily; address: string; value: bigint }
  /** `first` is the network address: host bits the user set are cleared, as nmap does (`10.0.0.5/24` = the /24). */
  | { kind: 'cidr'; spec: string; family: AddressFamily; prefix: number; first: bigint; last: bigint }
  | { kind: 'octets'; spec: string; octets: OctetSets }
  | { kind: 'name'; spec: string; name: string; prefix?: number };

/** Longer than any real spec; keeps hostile input from costing more than a glance. */
const MAX_SPEC_LENGTH = 4096;
/** RFC 1035 §2.3.4 / RFC 1123 §2.1: 253 characters of name text, labels of at most 63. */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/** Parse one target spec; throws TargetSpecError with a one-line message naming the spec. */
export function parseTargetSpec(spec: string): TargetSpec {
  return parseSpec(spec, 'target');
}

/** Validate one --exclude spec up front (same syntax, message says "exclusion"); throws TargetSpecError. */
export function parseExcludeSpec(spec: string): TargetSpec {
  return parseSpec(spec, 'exclusion');
}

/** parseTargetSpec with the noun of the message chosen by the caller (`target`, `exclusion`). */
export function parseSpec(spec: string, what: string): TargetSpec {
  const reason = (why: string) => new TargetSpecError(`invalid ${what} ${quoteInput(spec)}: ${why}`);
  const text = spec.trim();
  if (text === '') throw reason('empty');
  if (text.length > MAX_SPEC_LENGTH) throw reason(`longer than ${MAX_SPEC_LENGTH} characters`);
  if (/\s/.test(text)) throw reason('contains whitespace (give one target per argument)');
  const slash = text.indexOf('/');
  if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) throw reason('more than one "/"');
  const host = slash >= 0 ? text.slice(0, slash) : text;
  const prefix = slash >= 0 ? parsePrefix(text.slice(slash + 1)) : undefined;
  if (typeof prefix === 'string') throw reason(prefix);
  if (host === '') throw reason('no address before "/"');

  if (/^[0-9.]*\.[0-9.]*:[0-9]+$/.test(host)) throw reason('looks like ADDRESS:PORT; give ports with -p');
  if (host.includes(':')) return ipv6Spec(text, host, prefix, reason);
  if (/^[0-9.,*-]+$/.test(host)) return ipv4Spec(text, host, prefix, reason);
  const why = hostNameProblem(host);
  if (why) throw reason(why);
  return prefix === undefined ? { kind: 'name', spec: text, name: host } : { kind: 'name', spec: text, name: host, prefix };
}

function parsePrefix(text: string): number | string {
  if (text === '') return 'missing prefix length after "/"';
  if (!/^[0-9]+$/.test(text)) return `prefix "${text.length > 12 ? text.slice(0, 12) + '…' : text}" is not a number`;
  const n = Number(text);
  if (n > 128) return `prefix /${text.length > 12 ? text.slice(0, 12) + '…' : text} is above 128`;
  return n;
}

function ipv6Spec(text: string, host: string, prefix: number | undefined, reason: (w: string) => Error): TargetSpec {
  if (host.startsWith('[')) throw reason('write IPv6 addresses without brackets');
  if (/[-,*]/.test(host)) throw reason('ranges are IPv4-only; use CIDR for IPv6 (e.g. 2001:db8::/120)');
  const p = parseIPv6(host);
  if (!p.ok) throw reason(p.reason);
  return blockSpec(text, 6, p.value, prefix, reason);
}

function ipv4Spec(text: string, host: string, prefix: number | undefined, reason: (w: string) => Error): TargetSpec {
  const sets = parseOctetSets(host);
  if (typeof sets === 'string') throw reason(sets);
  const single = sets.every((s) => s.length === 1);
  if (!single) {
    // nmap refuses the mix too: a range already says which addresses, a prefix would say it twice.
    if (prefix !== undefined) throw reason('a CIDR prefix cannot be combined with octet ranges');
    return { kind: 'octets', spec: text, octets: sets };
  }
  const value = sets.reduce((v, s) => (v << 8n) | BigInt(s[0]!), 0n);
  return blockSpec(text, 4, value, prefix, reason);
}

function blockSpec(text: string, family: AddressFamily, value: bigint, prefix: number | undefined, reason: (w: string) => Error): TargetSpec {
  const bits = bitsOf(family);
  if (prefix === undefined) return { kind: 'address', spec: text, family, address: formatAddress(family, value), value };
  if (prefix > bits) throw reason(`prefix /${prefix} is above ${bits} for an IPv${family} address`);
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return { kind: 'cidr', spec: text, family, prefix, first, last: first + (1n << hostBits) - 1n };
}

/** Why `host` is not an RFC 1123 host name, or undefined when it is one. */
function hostNameProblem(host: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(host)) return 'non-ASCII host name (use its xn-- punycode form)';
  // `_` is outside RFC 1123 but appears in real /etc/hosts and DNS names; getaddrinfo(3) accepts it.
  const bad = /[^A-Za-z0-9._-]/.exec(host);
  if (bad) return `character ${JSON.stringify(bad[0])} is not allowed in a host name`;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length > MAX_NAME_LENGTH) return `host name longer than ${MAX_NAME_LENGTH} characters`;
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return 'empty label in host name';
    if (label.length > MAX_LABEL_LENGTH) return `label longer than ${MAX_LABEL_LENGTH} characters in host name`;
    if (label.startsWith('-') || label.endsWith('-')) return `label "${label}" starts or ends with "-"`;
  }
  // RFC 1123 §2.1: a host name never looks dotted-decimal because its top label is alphabetic.
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return 'the last label of a host name cannot be all digits';
  // getaddrinfo(3) hands such strings to inet_aton(3), which reads `0x10` as 0.0.0.16: a name that is
  // secretly a number would scan an address the user never wrote.
  if (labels.length <= 4 && labels.every((l) => /^(0x[0-9a-f]*|[0-9]+)$/i.test(l))) {
    return 'looks like a numeric address in hex/octal form; write it as a dotted quad';
  }
  return undefined;
}

/**
 * Addresses a literal spec covers, for progress display; undefined for names (unknown until resolved).
 * Accepts a string (parsed, so it throws TargetSpecError like parseTargetSpec) or a parsed spec.
 */
export function countTargetSpec(spec: string | TargetSpec): bigint | undefined {
  const s = typeof spec === 'string' ? parseTargetSpec(spec) : spec;
  switch (s.kind) {
    case 'address':
      return 1n;
    case 'cidr':
      return s.last - s.first + 1n;
    case 'octets':
      return octetCount(s.octets);
    case 'name':
      return undefined;
  }
}

export type LiteralSpec = Exclude<TargetSpec, { kind: 'name' }>;

export function literalFamily(spec: LiteralSpec): AddressFamily {
  return spec.kind === 'octets' ? 4 : spec.family;
}

/** The address runs [first, last] of a literal spec, ascending, lazily. */
export function* literalRuns(spec: LiteralSpec): Generator<[bigint, bigint]> {
  if (spec.kind === 'address') yield [spec.value, spec.value];
  else if (spec.kind === 'cidr') yield [spec.first, spec.last];
  else yield* octetRuns(spec.octets);
}

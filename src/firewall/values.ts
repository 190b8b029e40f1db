import type { Interval, ValueSet } from './types.js';

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIPv4(s: string): boolean {
  return V4.test(s);
}

/** RFC 4291 2.2 text forms (with an optional embedded IPv4 tail and zone); checked here, not in node:net. */
function isIPv6(s: string): boolean {
  const t = s.replace(/%[\w.-]+$/, '');
  if (!/^[0-9a-f:.]+$/i.test(t) || (t.match(/::/g) ?? []).length > 1) return false;
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (tail && !isIPv4(tail[1]!)) return false;
  const body = tail ? t.slice(0, tail.index + 1) + '0:0' : t;
  const parts = body.split('::');
  const groups = parts.flatMap((x) => (x === '' ? [] : x.split(':')));
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return parts.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128 bits. null when `text` is no address. */
export function addrToBig(text: string): { family: 4 | 6; value: bigint } | null {
  if (isIPv4(text)) {
    const [a, b, c, d] = text.split('.').map(Number) as [number, number, number, number];
    return { family: 4, value: BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d) };
  }
  if (!isIPv6(text)) return null;
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = Number(addrToBig(v4[1]!)!.value);
    s = `${s.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? (s.split('::') as [string, string]) : [s, undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  return { family: 6, value: v };
}

/** `addr/len` (or a bare address) → the interval of addresses it covers. */
export function prefixInterval(addr: string, len?: number): { family: 4 | 6; range: Interval<bigint> } | null {
  const a = addrToBig(addr);
  if (!a) return null;
  const bits = a.family === 4 ? 32 : 128;
  const l = len ?? bits;
  if (!Number.isInteger(l) || l < 0 || l > bits) return null;
  const host = (1n << BigInt(bits - l)) - 1n;
  const lo = a.value & ~host & ((1n << BigInt(bits)) - 1n);
  return { family: a.family, range: [lo, lo | host] };
}

/** `192.0.2.0/24`, `2001:db8::/64`, `192.0.2.1-192.0.2.9` or a bare address. */
export function parseAddrSpec(text: string): { family: 4 | 6; range: Interval<bigint> } | null {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    const base = text.slice(0, slash);
    if (/^\d+$/.test(lenText)) return prefixInterval(base, Number(lenText));
    // iptables may print a dotted mask (-s 192.0.2.0/255.255.255.0).
    const mask = addrToBig(lenText);
    if (mask?.family !== 4) return null;
    const len = Number(mask.value).toString(2).replace(/0+$/, '').length;
    return prefixInterval(base, len);
  }
  const dash = text.indexOf('-');
  if (dash > 0) {
    const lo = addrToBig(text.slice(0, dash));
    const hi = addrToBig(text.slice(dash + 1));
    if (!lo || !hi || lo.family !== hi.family) return null;
    return { family: lo.family, range: [lo.value, hi.value] };
  }
  return prefixInterval(text);
}

export function inRanges<T extends number | bigint>(ranges: readonly Interval<T>[], v: T): boolean {
  for (const [lo, hi] of ranges) if (v >= lo && v <= hi) return true;
  return false;
}

/** Interface name matching: an item ending in '*' matches by prefix (nft wildcard, iptables '+'). */
export function nameMatches(items: readonly string[], name: string): boolean {
  for (const it of items) {
    if (it.endsWith('*') ? name.startsWith(it.slice(0, -1)) : it === name) return true;
  }
  return false;
}

/** Union of two value sets of the same kind (named sets merged from several elements). */
export function emptyLike(kind: ValueSet['kind'], family: 4 | 6 = 4): ValueSet {
  switch (kind) {
    case 'num':
      return { kind, ranges: [] };
    case 'addr':
      return { kind, family, ranges: [] };
    case 'name':
      return { kind, items: [] };
    case 'ctstate':
      return { kind, items: [] };
    case 'bool':
      return { kind, value: false };
  }
}

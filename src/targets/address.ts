/**
 * IP address text ⇄ numbers. IPv4 and IPv6 both become bigint so that one range/exclusion engine serves
 * both families; the canonical text is a dotted quad for IPv4 and RFC 5952 for IPv6.
 */
import { compressIPv6, type AddressFamily } from '../model/index.js';

export const V4_BITS = 32;
export const V6_BITS = 128;
const V4_MAX = (1n << 32n) - 1n;
/** ::ffff:0:0/96, IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2). */
export const V4_MAPPED_BASE = 0xffffn << 32n;

export function bitsOf(family: AddressFamily): number {
  return family === 4 ? V4_BITS : V6_BITS;
}

/** Why a string is not an address, or the parsed value. Never throws: callers word their own errors. */
export type AddressParse = { ok: true; family: AddressFamily; value: bigint } | { ok: false; reason: string };

/**
 * Strict dotted quad: four decimal octets 0..255, no leading zeros. Leading zeros are refused because
 * inet_aton(3) reads `010` as octal 8 while others read decimal 10; guessing would scan the wrong host.
 */
export function parseIPv4(text: string): AddressParse {
  const parts = text.split('.');
  if (parts.length !== 4) return { ok: false, reason: `expected 4 dot-separated octets, got ${parts.length}` };
  let value = 0n;
  for (const part of parts) {
    const octet = parseOctet(part);
    if (typeof octet === 'string') return { ok: false, reason: octet };
    value = (value << 8n) | BigInt(octet);
  }
  return { ok: true, family: 4, value };
}

/** One decimal octet, or the reason it is not one. */
export function parseOctet(part: string): number | string {
  if (part === '') return 'empty octet';
  if (!/^[0-9]+$/.test(part)) return `octet "${part}" is not a decimal number`;
  if (part.length > 1 && part.startsWith('0')) return `octet "${part}" has a leading zero (octal or decimal?)`;
  if (part.length > 3 || Number(part) > 255) return `octet ${part.length > 12 ? part.slice(0, 12) + '…' : part} is above 255`;
  return Number(part);
}

/**
 * RFC 4291 §2.2 text forms: eight 16-bit hex groups, one `::` standing for one or more zero groups, and an
 * optional dotted-quad tail for the last 32 bits. Zone ids (RFC 4007 `%eth0`) are not accepted here.
 */
export function parseIPv6(text: string): AddressParse {
  if (text.includes('%')) return { ok: false, reason: 'zone ids (%…) are not supported' };
  const halves = text.split('::');
  if (halves.length > 2) return { ok: false, reason: '"::" may appear only once' };
  const head = halves[0] === '' ? [] : halves[0]!.split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1]!.split(':')) : [];
  const groups: number[] = [];
  const all = [...head, ...tail];
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    // The dotted tail must be the address's last 32 bits: `1.2.3.4::` is not an address.
    const isLast = i === all.length - 1 && (halves.length === 1 || tail.length > 0);
    if (isLast && g.includes('.')) {
      const v4 = parseIPv4(g);
      if (!v4.ok) return { ok: false, reason: `embedded IPv4 "${g}": ${v4.reason}` };
      groups.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      continue;
    }
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
      return { ok: false, reason: g === '' ? 'empty group (stray ":")' : `group "${g.length > 12 ? g.slice(0, 12) + '…' : g}" is not 1-4 hex digits` };
    }
    groups.push(parseInt(g, 16));
  }
  const headGroups = head.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  if (halves.length === 2) {
    if (groups.length > 7) return { ok: false, reason: `too many groups for "::" (${groups.length})` };
    groups.splice(headGroups, 0, ...new Array<number>(8 - groups.length).fill(0));
  } else if (groups.length !== 8) {
    return { ok: false, reason: `expected 8 groups, got ${groups.length}` };
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | BigInt(g);
  return { ok: true, family: 6, value };
}

/** Either family, chosen by the presence of `:`. */
export function parseAddress(text: string): AddressParse {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

export function formatIPv4(value: bigint): string {
  const n = Number(value & V4_MAX);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * RFC 5952 §4: lowercase hex, no leading zeros, the longest run of two or more zero groups (the first on a
 * tie) becomes `::`; §5: IPv4-mapped addresses keep their dotted-quad tail (`::ffff:192.0.2.1`).
 */
export function formatIPv6(value: bigint): string {
  if (value >> 32n === 0xffffn) return `::ffff:${formatIPv4(value)}`;
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  return compressIPv6(groups);
}

export function formatAddress(family: AddressFamily, value: bigint): string {
  return family === 4 ? formatIPv4(value) : formatIPv6(value);
}

/** Canonical text of an address, or undefined if `text` is not an address. */
export function canonicalAddress(text: string): string | undefined {
  const p = parseAddress(text);
  return p.ok ? formatAddress(p.family, p.value) : undefined;
}

/** 4 or 6 for an address literal, undefined for anything else (names, ranges, garbage). */
export function familyOf(address: string): AddressFamily | undefined {
  const p = parseAddress(address);
  return p.ok ? p.family : undefined;
}

export function isIPv6(address: string): boolean {
  return familyOf(address) === 6;
}

export function isIPv4(address: string): boolean {
  return familyOf(address) === 4;
}

/**
 * 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3), and IPv4-mapped loopback, which Linux
 * delivers to the IPv4 loopback through a dual-stack socket.
 */
export function isLoopback(address: string): boolean {
  const p = parseAddress(address);
  if (!p.ok) return false;
  if (p.family === 4) return p.value >> 24n === 127n;
  if (p.value === 1n) return true;
  return p.value >> 32n === 0xffffn && (p.value & V4_MAX) >> 24n === 127n;
}

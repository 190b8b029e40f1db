import { compressIPv6 } from '../../model/index.js';
import type { RawSocket } from '../types.js';

/**
 * Parser for /proc/net/{tcp,tcp6,udp,udp6} (format: Linux Documentation/networking/proc_net_tcp.rst and
 * net/ipv4/tcp_ipv4.c get_tcp4_sock / net/ipv6/tcp_ipv6.c get_tcp6_sock).
 *
 * Each row: `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …`. Addresses are
 * the raw in-kernel 32-bit words printed with %08X, i.e. in the *host's* byte order: 127.0.0.1 is
 * `0100007F` on little-endian machines. IPv6 addresses are four such words. Ports are printed as numbers
 * (%04X), so they read as-is.
 */

/** TCP_LISTEN in include/net/tcp_states.h. */
const TCP_LISTEN = 0x0a;
/** TCP_CLOSE: the state of an unconnected UDP socket (`ss` prints UNCONN). */
const UDP_UNCONNECTED = 0x07;

export type ProcNetKind = 'tcp' | 'tcp6' | 'udp' | 'udp6';

/** Returns the listening TCP / unconnected UDP sockets of one table's text; other rows are skipped. */
export function parseProcNet(text: string, kind: ProcNetKind, littleEndian = true): RawSocket[] {
  const protocol = kind.startsWith('tcp') ? 'tcp' : 'udp';
  const family = kind.endsWith('6') ? 6 : 4;
  const wanted = protocol === 'tcp' ? TCP_LISTEN : UDP_UNCONNECTED;
  const out: RawSocket[] = [];
  // Most listeners share a few addresses (0.0.0.0, ::, 127.0.0.1): convert each hex form once.
  const addresses = new Map<string, string | null>();
  // Hand-rolled scanning by character codes: a crowded host has tens of thousands of rows, and splitting
  // each into strings costs more than reading the kernel's table.
  let pos = text.indexOf('\n') + 1; // line 0 is the header
  while (pos > 0 && pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const end = eol < 0 ? text.length : eol;
    const row = scanRow(text, pos, end);
    pos = end + 1;
    if (row === null || row.state !== wanted) continue;
    let address = addresses.get(row.hexAddr);
    if (address === undefined) {
      address = family === 4 ? hexToIPv4(row.hexAddr, littleEndian) : hexToIPv6(row.hexAddr, littleEndian);
      addresses.set(row.hexAddr, address);
    }
    if (address === null) continue;
    out.push({ protocol, family, address, port: row.port, state: protocol === 'tcp' ? 'LISTEN' : 'UNCONN', inode: row.inode, uid: row.uid });
  }
  return out;
}

interface Row {
  hexAddr: string;
  port: number;
  state: number;
  uid: number;
  inode: number;
}

/** Fields 1 (local ADDR:PORT), 3 (st), 7 (uid) and 9 (inode) of one row, or null when malformed. */
function scanRow(text: string, start: number, end: number): Row | null {
  let i = start;
  let field = 0;
  const row: Row = { hexAddr: '', port: -1, state: -1, uid: -1, inode: -1 };
  while (field <= 9) {
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (i >= end) return null;
    let j = i;
    while (j < end && text.charCodeAt(j) !== 32) j++;
    if (field === 1) {
      const colon = text.indexOf(':', i);
      if (colon < 0 || colon >= j) return null;
      row.hexAddr = text.slice(i, colon);
      row.port = readNumber(text, colon + 1, j, 16);
    } else if (field === 3) row.state = readNumber(text, i, j, 16);
    else if (field === 7) row.uid = readNumber(text, i, j, 10);
    else if (field === 9) row.inode = readNumber(text, i, j, 10);
    i = j;
    field++;
  }
  // A port above 65535 cannot come from the kernel (%04X of a u16): the row is malformed (found by fuzzing).
  return row.port < 0 || row.port > 65535 || row.state < 0 || row.uid < 0 || row.inode < 0 ? null : row;
}

/** Digits of text[start, end) in base 10 or 16; -1 if any character is not a digit. */
function readNumber(text: string, start: number, end: number, base: 10 | 16): number {
  if (start >= end) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (base === 16 && c >= 65 && c <= 70) d = c - 55;
    else if (base === 16 && c >= 97 && c <= 102) d = c - 87;
    else return -1;
    n = n * base + d;
  }
  return n;
}

/** One %08X word → its four bytes in memory order (network order for addresses). */
function wordBytes(hex: string, littleEndian: boolean): number[] {
  const b = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return littleEndian ? b.reverse() : b;
}

export function hexToIPv4(hex: string, littleEndian = true): string | null {
  if (!/^[0-9A-Fa-f]{8}$/.test(hex)) return null;
  return wordBytes(hex, littleEndian).join('.');
}

export function hexToIPv6(hex: string, littleEndian = true): string | null {
  if (!/^[0-9A-Fa-f]{32}$/.test(hex)) return null;
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) bytes.push(...wordBytes(hex.slice(w * 8, w * 8 + 8), littleEndian));
  // IPv4-mapped (::ffff:a.b.c.d) printed the way ss and Node print it.
  if (bytes.slice(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  return compressIPv6(groups);
}

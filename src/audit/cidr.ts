import { parseAddress } from '../targets/address.js';

/** An address block: family, network value and prefix length. */
export interface Cidr {
  family: 4 | 6;
  value: bigint;
  bits: number;
}

/** `192.0.2.0/24`, `2001:db8::/32` or a bare address (a /32 or /128); null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!addr.ok) return null;
  const max = addr.family === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > max) return null;
    bits = Number(b);
  }
  return { family: addr.family, value: addr.value, bits };
}

/** Whether `address` lies inside `cidr` (IPv4-mapped IPv6 addresses are not unwrapped). */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const a = parseAddress(address);
  if (!a.ok || a.family !== cidr.family) return false;
  const max = cidr.family === 4 ? 32 : 128;
  const shift = BigInt(max - cidr.bits);
  return a.value >> shift === cidr.value >> shift;
}

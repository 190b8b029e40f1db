/**
 * Minimal ASN.1 BER (X.690) for SNMP (RFC 3416) and LDAP (RFC 4511): definite lengths, primitive values.
 */
export function tlv(tag: number, body: Buffer | readonly number[]): Buffer {
  const v = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const len = v.length < 0x80 ? [v.length] : v.length < 0x100 ? [0x81, v.length] : [0x82, v.length >> 8, v.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), v]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const int = (n: number): Buffer => tlv(0x02, n < 0x80 ? [n] : n < 0x8000 ? [n >> 8, n & 0xff] : [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
export const octets = (s: string | Buffer): Buffer => tlv(0x04, typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
export const nul = (): Buffer => Buffer.from([0x05, 0x00]);

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, out);
}

export interface Tlv {
  tag: number;
  value: Buffer;
  end: number;
}

/** Read one TLV at `off`; undefined when truncated. */
export function readTlv(b: Buffer, off: number): Tlv | undefined {
  if (off + 2 > b.length) return undefined;
  const tag = b[off]!;
  let len = b[off + 1]!;
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3 || start + n > b.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i]!;
    start += n;
  }
  if (start + len > b.length) return undefined;
  return { tag, value: b.subarray(start, start + len), end: start + len };
}

/** Children of a constructed value. */
export function children(v: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let off = 0; off < v.length; ) {
    const t = readTlv(v, off);
    if (!t) break;
    out.push(t);
    off = t.end;
  }
  return out;
}

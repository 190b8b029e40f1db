/**
 * The DNS message format (RFC 1035 section 4), shared by DNS, mDNS (RFC 6762) and LLMNR (RFC 4795):
 * enough to build one question and read the answers' TXT strings.
 */
export function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((p) => p.length > 0);
  const out: number[] = [];
  for (const p of parts) out.push(p.length, ...Buffer.from(p, 'ascii'));
  out.push(0);
  return Buffer.from(out);
}

export function buildQuery(id: number, name: string, qtype: number, qclass: number, flags = 0): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(qtype, 0);
  tail.writeUInt16BE(qclass, 2);
  return Buffer.concat([h, encodeName(name), tail]);
}

export interface DnsReply {
  id: number;
  rcode: number;
  answers: { type: number; data: Buffer }[];
}

/** Skip a (possibly compressed) name; returns the offset after it, or -1. */
function skipName(b: Buffer, off: number): number {
  while (off < b.length) {
    const len = b[off]!;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += len + 1;
  }
  return -1;
}

/** Parse a response (QR bit set); undefined when it is not one. */
export function parseReply(b: Buffer): DnsReply | undefined {
  if (b.length < 12 || (b[2]! & 0x80) === 0) return undefined;
  const qd = b.readUInt16BE(4);
  const an = b.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) {
    off = skipName(b, off);
    if (off < 0) return undefined;
    off += 4;
  }
  const answers: DnsReply['answers'] = [];
  for (let i = 0; i < an && off < b.length; i++) {
    off = skipName(b, off);
    if (off < 0 || off + 10 > b.length) break;
    const type = b.readUInt16BE(off);
    const rdlen = b.readUInt16BE(off + 8);
    answers.push({ type, data: b.subarray(off + 10, off + 10 + rdlen) });
    off += 10 + rdlen;
  }
  return { id: b.readUInt16BE(0), rcode: b[3]! & 0x0f, answers };
}

/** The character-strings of a TXT record's data, joined. */
export function txtStrings(data: Buffer): string {
  const out: string[] = [];
  for (let off = 0; off < data.length; ) {
    const len = data[off]!;
    out.push(data.subarray(off + 1, off + 1 + len).toString('latin1'));
    off += len + 1;
  }
  return out.join('');
}

/**
 * MongoDB wire protocol: OP_MSG (opcode 2013, MongoDB 3.6+) carrying {buildInfo: 1, $db: "admin"}, which
 * servers answer without authentication; the reply's BSON document has `version` (MongoDB docs "OP_MSG",
 * BSON spec bsonspec.org).
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

function bsonDoc(fields: [string, number | string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of fields) {
    const key = Buffer.from(`${k}\0`, 'utf8');
    if (typeof v === 'number') {
      const n = Buffer.alloc(4);
      n.writeInt32LE(v);
      parts.push(Buffer.from([0x10]), key, n);
    } else {
      const s = Buffer.from(`${v}\0`, 'utf8');
      const n = Buffer.alloc(4);
      n.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), key, n, s);
    }
  }
  const body = Buffer.concat([...parts, Buffer.from([0])]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(body.length + 4);
  return Buffer.concat([len, body]);
}

function probe(): Buffer {
  const doc = bsonDoc([
    ['buildInfo', 1],
    ['$db', 'admin'],
  ]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + 4 + 1 + doc.length, 0);
  header.writeInt32LE(0x7073, 4); // requestID
  header.writeInt32LE(2013, 12); // OP_MSG
  return Buffer.concat([header, Buffer.alloc(4), Buffer.from([0]), doc]);
}

/** Find a top-level string field in a BSON document (types we skip are sized by the spec). */
export function bsonString(doc: Buffer, name: string): string | undefined {
  let off = 4;
  while (off < doc.length - 1) {
    const type = doc[off]!;
    const keyEnd = doc.indexOf(0, off + 1);
    if (type === 0 || keyEnd < 0) return undefined;
    const key = doc.subarray(off + 1, keyEnd).toString('utf8');
    off = keyEnd + 1;
    if (off + 4 > doc.length) return undefined;
    let size: number;
    if (type === 0x02) {
      const n = doc.readInt32LE(off);
      if (key === name) return doc.subarray(off + 4, off + 4 + n - 1).toString('utf8');
      size = 4 + n;
    } else if (type === 0x01 || type === 0x12 || type === 0x09 || type === 0x11) size = 8;
    else if (type === 0x10) size = 4;
    else if (type === 0x08) size = 1;
    else if (type === 0x0a) size = 0;
    else if (type === 0x03 || type === 0x04) size = doc.readInt32LE(off);
    else if (type === 0x07) size = 12;
    else if (type === 0x05) size = 5 + doc.readInt32LE(off);
    else return undefined;
    if (size < 0) return undefined;
    off += size;
  }
  return undefined;
}

export function matchMongo(data: Buffer): ServiceMatch | null {
  if (data.length < 21) return null;
  const len = data.readInt32LE(0);
  const opcode = data.readInt32LE(12);
  if (len < 21 || len > 16 * 1024 * 1024 || data.readInt32LE(8) !== 0x7073) return null;
  if (opcode !== 2013 || data[20] !== 0) return opcode === 1 ? build('mongodb', 'MongoDB') : null;
  const doc = data.subarray(21, Math.min(data.length, len));
  const version = bsonString(doc, 'version');
  return build('mongodb', 'MongoDB', version, undefined, ['cpe:/a:mongodb:mongodb:$v']);
}

export const mongodb: ServiceModule = {
  name: 'mongodb',
  probes: [{ name: 'MongoBuildInfo', rarity: 4, ports: [27017, 27018, 27019], payload: probe(), complete: (d) => d.length >= 4 && d.length >= d.readInt32LE(0) }],
  matchers: [{ probes: ['MongoBuildInfo'], match: matchMongo }],
};

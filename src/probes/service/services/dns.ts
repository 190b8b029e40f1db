/**
 * DNS over TCP (RFC 1035 §4.2.2: two-byte length prefix): a CHAOS-class TXT query for version.bind, the
 * name servers answer with their version (BIND, dnsmasq, Unbound, Knot) unless configured not to.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

const ID = 0x7073;
const QNAME = Buffer.from([7, ...Buffer.from('version'), 4, ...Buffer.from('bind'), 0]);

function query(): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(ID, 0);
  header.writeUInt16BE(0x0000, 2); // standard query, no recursion wanted
  header.writeUInt16BE(1, 4); // QDCOUNT
  const q = Buffer.concat([header, QNAME, Buffer.from([0, 16, 0, 3])]); // TXT, CH
  const len = Buffer.alloc(2);
  len.writeUInt16BE(q.length);
  return Buffer.concat([len, q]);
}

/** Offset just past a (possibly compressed, RFC 1035 §4.1.4) name, or -1. */
function skipName(msg: Buffer, off: number): number {
  for (let hops = 0; hops < 128 && off < msg.length; hops++) {
    const len = msg[off]!;
    if (len === 0) return off + 1;
    if ((len & 0xc0) === 0xc0) return off + 2;
    off += 1 + len;
  }
  return -1;
}

export function matchDns(data: Buffer): ServiceMatch | null {
  if (data.length < 14) return null;
  const len = data.readUInt16BE(0);
  const msg = data.subarray(2, 2 + len);
  if (len < 12 || msg.length < 12 || msg.readUInt16BE(0) !== ID || (msg[2]! & 0x80) === 0) return null;
  const qd = msg.readUInt16BE(4);
  const an = msg.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd && off >= 0; i++) off = skipName(msg, off) + (off >= 0 ? 4 : 0);
  for (let i = 0; i < an && off >= 0 && off < msg.length; i++) {
    off = skipName(msg, off);
    if (off < 0 || off + 10 > msg.length) break;
    const type = msg.readUInt16BE(off);
    const rdlen = msg.readUInt16BE(off + 8);
    const rdata = msg.subarray(off + 10, off + 10 + rdlen);
    if (type === 16 && rdata.length > 1) return fromVersion(rdata.subarray(1, 1 + rdata[0]!).toString('latin1'));
    off += 10 + rdlen;
  }
  return build('domain');
}

function fromVersion(text: string): ServiceMatch {
  let m = /^dnsmasq-([\w.]+)/.exec(text);
  if (m) return build('domain', 'dnsmasq', m[1], undefined, ['cpe:/a:thekelleys:dnsmasq:$v']);
  m = /^(9\.\d+\.[\w.]+)(?:-(.*))?/.exec(text);
  if (m) return build('domain', 'ISC BIND', m[1], m[2], ['cpe:/a:isc:bind:$v']);
  m = /^unbound ([\d.]+)/.exec(text);
  if (m) return build('domain', 'Unbound', m[1], undefined, ['cpe:/a:nlnetlabs:unbound:$v']);
  m = /^Knot DNS ([\d.]+)/.exec(text);
  if (m) return build('domain', 'Knot DNS', m[1]);
  m = /^PowerDNS (?:Authoritative Server|Recursor) ([\d.]+)/.exec(text);
  if (m) return build('domain', 'PowerDNS', m[1]);
  return build('domain', undefined, undefined, text.replace(/[^\x20-\x7e]/g, '').slice(0, 80));
}

export const dns: ServiceModule = {
  name: 'domain',
  probes: [
    {
      name: 'DNSVersionBindTCP',
      rarity: 3,
      ports: [53, 5353, 5053],
      payload: query(),
      complete: (d) => d.length >= 2 && d.length >= 2 + d.readUInt16BE(0),
    },
  ],
  matchers: [{ probes: ['DNSVersionBindTCP'], match: matchDns }],
};

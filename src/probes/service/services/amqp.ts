/**
 * AMQP 0-9-1 (AMQP 0-9-1 specification §4.2.2 protocol header, §4.2.3 frames; Connection.Start is class
 * 10 method 10 with a server-properties field table). RabbitMQ puts `product` and `version` there. A server
 * speaking another AMQP version answers with its own protocol header and closes.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

const FIXED: Record<string, number> = { t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, l: 8, f: 4, d: 8, D: 5, T: 8, V: 0 };

/** Read the string values of a field table; stops quietly on anything malformed. */
export function amqpTableStrings(table: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let off = 0;
  while (off < table.length) {
    const klen = table[off]!;
    const key = table.subarray(off + 1, off + 1 + klen).toString('utf8');
    off += 1 + klen;
    const type = String.fromCharCode(table[off] ?? 0);
    off += 1;
    const fixed = FIXED[type];
    if (fixed !== undefined) off += fixed;
    else if (type === 'S' || type === 'A' || type === 'F' || type === 'x') {
      if (off + 4 > table.length) break;
      const n = table.readUInt32BE(off);
      if (type === 'S') out.set(key, table.subarray(off + 4, off + 4 + n).toString('utf8'));
      off += 4 + n;
    } else break;
  }
  return out;
}

export function matchAmqp(data: Buffer): ServiceMatch | null {
  const header = /^AMQP\x00?(.)(.)(.)/s.exec(data.toString('latin1'));
  if (header && data.length <= 8)
    return build(
      'amqp',
      undefined,
      undefined,
      `protocol ${header
        .slice(1)
        .map((c) => c.charCodeAt(0))
        .join('-')}`,
    );
  if (data.length < 7 + 4 + 2 + 4 || data[0] !== 1 || data.readUInt16BE(1) !== 0) return null;
  const size = data.readUInt32BE(3);
  const p = data.subarray(7, 7 + size);
  if (p.length < 10 || p.readUInt16BE(0) !== 10 || p.readUInt16BE(2) !== 10) return null;
  const tlen = p.readUInt32BE(6);
  const props = amqpTableStrings(p.subarray(10, 10 + tlen));
  const product = props.get('product');
  const version = props.get('version');
  const extra = `AMQP ${p[4]}-${p[5]}`;
  const cpe = product === 'RabbitMQ' ? ['cpe:/a:vmware:rabbitmq:$v'] : undefined;
  return build('amqp', product, version, extra, cpe);
}

export const amqp: ServiceModule = {
  name: 'amqp',
  probes: [{ name: 'AMQPHeader', rarity: 5, ports: [5672, 5671], payload: Buffer.from('AMQP\x00\x00\x09\x01', 'latin1') }],
  matchers: [{ probes: ['AMQPHeader'], match: matchAmqp }],
};

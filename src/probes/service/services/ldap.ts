/**
 * LDAPv3 (RFC 4511 §4.2 BindRequest, §4.1.1 LDAPMessage in BER, X.690): an anonymous simple bind; any
 * server answers a BindResponse ([APPLICATION 1], tag 0x61) with the same message ID.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

// SEQUENCE { messageID 1, [APPLICATION 0] { version 3, name "", simple [0] "" } }
const BIND = Buffer.from([0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00, 0x80, 0x00]);

export function matchLdap(data: Buffer): ServiceMatch | null {
  if (data.length < 7 || data[0] !== 0x30) return null;
  // Definite length: short form, or long form with 1..4 length bytes.
  let off = 2;
  if (data[1]! & 0x80) off += data[1]! & 0x7f;
  if (data[off] !== 0x02 || data[off + 1] !== 0x01 || data[off + 2] !== 0x01) return null;
  const op = data[off + 3];
  if (op === 0x61) return build('ldap');
  // Some servers answer a bind they dislike with a Notice of Disconnection (ExtendedResponse, 0x78).
  return op === 0x78 ? build('ldap') : null;
}

export const ldap: ServiceModule = {
  name: 'ldap',
  probes: [{ name: 'LDAPBind', rarity: 5, ports: [389, 636, 3268, 3269], payload: BIND }],
  matchers: [{ probes: ['LDAPBind'], match: matchLdap }],
};

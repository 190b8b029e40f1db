import type { UdpPayload } from '../payload.js';
import { children, int, octets, readTlv, seq, tlv } from '../ber.js';

/**
 * Connectionless LDAP (RFC 1798, as Active Directory keeps it): a base-object search of the root DSE
 * (RFC 4511 section 4.5.1) for `(objectClass=*)`, attribute namingContexts.
 */
export const cldap: UdpPayload = {
  name: 'ldap',
  ports: [389],
  build() {
    const filter = tlv(0x87, Buffer.from('objectClass', 'latin1')); // present filter
    const enumerated = (n: number): Buffer => tlv(0x0a, [n]);
    const bool = tlv(0x01, [0]);
    const search = tlv(0x63, Buffer.concat([octets(''), enumerated(0), enumerated(0), int(0), int(0), bool, filter, seq(octets('namingContexts'))]));
    return seq(int(0x5053), search);
  },
  parse(r) {
    const msg = readTlv(r, 0);
    if (msg?.tag !== 0x30) return undefined;
    const op = children(msg.value)[1];
    return op && (op.tag === 0x64 || op.tag === 0x65) ? { name: 'ldap' } : undefined;
  },
};

import type { UdpPayload } from '../payload.js';

/**
 * NetBIOS Name Service (RFC 1002 section 4.2.17): a NODE STATUS REQUEST (NBSTAT, type 0x21) for the
 * wildcard name `*`, first-level encoded (RFC 1001 section 14.1: each nibble + 'A'). Samba's nmbd and
 * Windows answer with their name table.
 */
export const netbiosNs: UdpPayload = {
  name: 'netbios-ns',
  ports: [137],
  build() {
    const name = Buffer.alloc(16);
    name[0] = 0x2a; // '*', padded with NULs
    const enc = Buffer.alloc(34);
    enc[0] = 32;
    for (let i = 0; i < 16; i++) {
      enc[1 + 2 * i] = 0x41 + (name[i]! >> 4);
      enc[2 + 2 * i] = 0x41 + (name[i]! & 0x0f);
    }
    const h = Buffer.from([0x50, 0x53, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
    return Buffer.concat([h, enc, Buffer.from([0x00, 0x21, 0x00, 0x01])]);
  },
  parse(reply) {
    if (reply.length < 57 || (reply[2]! & 0x80) === 0) return undefined;
    // Answer: name (34) + type, class, TTL, RDLENGTH (10), then NUM_NAMES and 18-byte entries.
    const first = reply
      .subarray(57, 57 + 15)
      .toString('latin1')
      .trim();
    return first ? { name: 'netbios-ns', extrainfo: `NetBIOS name: ${first}` } : { name: 'netbios-ns' };
  },
};

import type { UdpPayload } from '../payload.js';

/**
 * DHCP (RFC 2131 section 4.1, options RFC 2132): a DHCPDISCOVER with the magic cookie. Servers normally
 * answer to port 68 or broadcast, not to our socket, so an open server mostly reads as open|filtered; a
 * closed port still answers ICMP port-unreachable.
 */
export const dhcp: UdpPayload = {
  name: 'dhcps',
  ports: [67],
  build() {
    const b = Buffer.alloc(244);
    b[0] = 1; // BOOTREQUEST
    b[1] = 1; // Ethernet
    b[2] = 6;
    b.writeUInt32BE(0x50535053, 4);
    b.writeUInt16BE(0x8000, 10); // broadcast flag
    Buffer.from([0x02, 0x50, 0x53, 0x00, 0x00, 0x01]).copy(b, 28);
    b.writeUInt32BE(0x63825363, 236);
    b[240] = 53; // DHCP message type
    b[241] = 1;
    b[242] = 1; // DISCOVER
    b[243] = 255;
    return b;
  },
  parse: (r) => (r.length >= 240 && r[0] === 2 && r.readUInt32BE(4) === 0x50535053 ? { name: 'dhcps' } : undefined),
};

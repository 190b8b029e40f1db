import { splitProductVersion, type UdpPayload } from '../payload.js';

/**
 * NTP (RFC 5905 section 7.3): a 48-byte client packet, LI=0, VN=4, mode 3 (client). A server answers
 * mode 4 with its stratum; that is enough to name it (chrony, ntpd and ntpsec all answer). On a retry, a
 * mode 6 control message READVAR (RFC 9327 sections 2 and 3.1), which ntpd answers with its system
 * variables, `version="ntpd 4.2.8p15…"` among them.
 */
function readvar(): Buffer {
  const b = Buffer.alloc(12);
  b[0] = (0 << 6) | (2 << 3) | 6; // VN 2, mode 6
  b[1] = 2; // READVAR
  b.writeUInt16BE(1, 2); // sequence
  return b;
}
export const ntp: UdpPayload = {
  name: 'ntp',
  ports: [123],
  build() {
    const b = Buffer.alloc(48);
    b[0] = (0 << 6) | (4 << 3) | 3;
    // Transmit timestamp: any non-zero value; servers copy it to "origin" (RFC 5905 section 8).
    b.writeUInt32BE(0x50534350, 40);
    return b;
  },
  alternates: [readvar],
  parse(reply) {
    if (reply.length >= 12 && (reply[0]! & 7) === 6 && (reply[1]! & 0x80) !== 0) {
      const version = /version="([^"]+)"/.exec(reply.subarray(12).toString('latin1'))?.[1];
      return version ? { name: 'ntp', ...splitProductVersion(version) } : { name: 'ntp' };
    }
    if (reply.length < 48) return undefined;
    const mode = reply[0]! & 7;
    const vn = (reply[0]! >> 3) & 7;
    if (mode !== 4 && mode !== 5) return undefined;
    return { name: 'ntp', version: `v${vn}`, extrainfo: `stratum ${reply[1]}` };
  },
};

/**
 * RDP: TPKT (RFC 1006) + X.224 Connection Request carrying RDP_NEG_REQ ([MS-RDPBCGR] §2.2.1.1); the server
 * answers an X.224 Connection Confirm (code 0xd0), with RDP_NEG_RSP (type 2) or RDP_NEG_FAILURE (type 3).
 * nmap calls the service ms-wbt-server.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

// TPKT v3 len 19 | X.224 CR (LI 14, 0xe0, dst 0, src 0, class 0) | NEG_REQ type 1, flags 0, len 8, TLS|CredSSP
const CR = Buffer.from([0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00]);
const PROTOCOLS: Record<number, string> = { 0: 'standard RDP security', 1: 'TLS', 2: 'CredSSP', 8: 'RDSTLS' };

export function matchRdp(data: Buffer): ServiceMatch | null {
  if (data.length < 11 || data[0] !== 3 || data[1] !== 0 || (data[5]! & 0xf0) !== 0xd0) return null;
  if (data.length >= 19 && data[11] === 0x02) return build('ms-wbt-server', undefined, undefined, `security: ${PROTOCOLS[data.readUInt32LE(15)] ?? 'other'}`);
  if (data.length >= 19 && data[11] === 0x03) return build('ms-wbt-server', undefined, undefined, 'negotiation failure');
  return build('ms-wbt-server');
}

export const rdp: ServiceModule = {
  name: 'ms-wbt-server',
  probes: [{ name: 'RDPConnect', rarity: 5, ports: [3389], payload: CR }],
  matchers: [{ probes: ['RDPConnect'], match: matchRdp }],
};

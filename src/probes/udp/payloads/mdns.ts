import type { UdpPayload } from '../payload.js';
import { buildQuery, parseReply } from '../dns-wire.js';

/**
 * mDNS (RFC 6762): a unicast question (section 5.5, QU bit) for the DNS-SD service enumeration name
 * `_services._dns-sd._udp.local` PTR (RFC 6763 section 9). Responders answer unicast queries from a
 * source port other than 5353 directly to the sender (RFC 6762 section 6.7).
 */
export const mdns: UdpPayload = {
  name: 'mdns',
  ports: [5353],
  build: () => buildQuery(0, '_services._dns-sd._udp.local', 12 /* PTR */, 0x8001 /* IN, QU */),
  parse: (reply) => (parseReply(reply) ? { name: 'mdns' } : undefined),
};

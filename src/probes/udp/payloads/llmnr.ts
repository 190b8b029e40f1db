import type { UdpPayload } from '../payload.js';
import { buildQuery, parseReply } from '../dns-wire.js';

/**
 * LLMNR (RFC 4795): the DNS message format on port 5355. A responder answers only for its own name, so
 * the query asks for `localhost`-style names rarely; any reply in DNS format identifies the service.
 */
export const llmnr: UdpPayload = {
  name: 'llmnr',
  ports: [5355],
  build: () => buildQuery(0x4c4c, 'wpad', 1 /* A */, 1 /* IN */),
  parse: (reply) => (parseReply(reply)?.id === 0x4c4c ? { name: 'llmnr' } : undefined),
};

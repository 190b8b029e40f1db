/** VNC speaks first: "RFB xxx.yyy\n", the RFB protocol version (RFC 6143 §7.1.1). */
import { regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

export const vnc: ServiceModule = {
  name: 'vnc',
  matchers: [
    regexMatcher({
      probes: [NULL_PROBE],
      pattern: /^RFB (\d{3})\.(\d{3})\n/,
      name: 'vnc',
      product: 'VNC',
      extrainfo: (m) => `protocol ${Number(m[1])}.${Number(m[2])}`,
    }),
  ],
};

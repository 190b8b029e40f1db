/**
 * Telnet servers usually open with option negotiation: IAC (255) followed by DO/DONT/WILL/WONT (253/254/
 * 251/252) and an option byte (RFC 854, RFC 855).
 */
import { build } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

export const telnet: ServiceModule = {
  name: 'telnet',
  matchers: [
    {
      probes: [NULL_PROBE],
      match: (d) => (d.length >= 3 && d[0] === 255 && d[1]! >= 251 && d[1]! <= 254 ? build('telnet') : null),
    },
  ],
};

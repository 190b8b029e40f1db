/** POP3 speaks first: "+OK" greeting (RFC 1939 §4). */
import { regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

const G = [NULL_PROBE];
export const pop3: ServiceModule = {
  name: 'pop3',
  matchers: [
    regexMatcher({ probes: G, pattern: /^\+OK (?:\[[^\]]*\] )?Dovecot(?: \(([^)]*)\))? ready/, name: 'pop3', product: 'Dovecot pop3d', extrainfo: '$1', cpe: ['cpe:/a:dovecot:dovecot'] }),
    regexMatcher({ probes: G, pattern: /^\+OK [^\r\n]*\bPOP3?\b/i, name: 'pop3' }),
    regexMatcher({ probes: G, pattern: /^\+OK [^\r\n]*<[\w.-]+@[\w.-]+>\r?\n/, name: 'pop3' }),
  ],
};

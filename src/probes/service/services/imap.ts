/** IMAP speaks first: "* OK" or "* PREAUTH" greeting, often with a CAPABILITY code (RFC 9051 §7.1). */
import { regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

const G = [NULL_PROBE];
export const imap: ServiceModule = {
  name: 'imap',
  matchers: [
    regexMatcher({ probes: G, pattern: /^\* OK [^\r\n]*Dovecot(?: \(([^)]*)\))? ready/, name: 'imap', product: 'Dovecot imapd', extrainfo: '$1', cpe: ['cpe:/a:dovecot:dovecot'] }),
    regexMatcher({ probes: G, pattern: /^\* OK [^\r\n]*Cyrus IMAP v?([\d.]+)/, name: 'imap', product: 'Cyrus imapd', version: '$1' }),
    regexMatcher({ probes: G, pattern: /^\* (?:OK|PREAUTH) (?:\[CAPABILITY [^\]]*IMAP4[^\]]*\]|[^\r\n]*IMAP)/i, name: 'imap' }),
  ],
};

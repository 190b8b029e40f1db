/** SMTP speaks first: "220 <domain> ESMTP <text>" (RFC 5321 §4.2, §4.3.1). */
import { regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

const G = [NULL_PROBE];
export const smtp: ServiceModule = {
  name: 'smtp',
  matchers: [
    // Postfix shows no version by default; its main.cf offers "$mail_name ($mail_version)" for those who
    // want it (smtpd_banner in postconf(5) and main.cf.proto), Debian ships "$mail_name (Debian/GNU)".
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ E?SMTP Postfix \((\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?)\)/, name: 'smtp', product: 'Postfix smtpd', version: '$1', cpe: ['cpe:/a:postfix:postfix:$v'] }),
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ E?SMTP Postfix(?: \(([^)]*)\))?/, name: 'smtp', product: 'Postfix smtpd', extrainfo: '$1', cpe: ['cpe:/a:postfix:postfix'] }),
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ E?SMTP Exim ([\d.]+)/, name: 'smtp', product: 'Exim smtpd', version: '$1', cpe: ['cpe:/a:exim:exim:$v'] }),
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ E?SMTP Sendmail ([\w.]+)/, name: 'smtp', product: 'Sendmail', version: '$1', cpe: ['cpe:/a:sendmail:sendmail:$v'] }),
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ Microsoft ESMTP MAIL Service/, name: 'smtp', product: 'Microsoft ESMTP' }),
    regexMatcher({ probes: G, pattern: /^220[ -]\S+ E?SMTP OpenSMTPD/, name: 'smtp', product: 'OpenSMTPD' }),
    regexMatcher({ probes: G, pattern: /^220[ -][^\r\n]*\bE?SMTP\b/, name: 'smtp' }),
  ],
};

/** FTP speaks first: a 220 reply (RFC 959 §4.2) whose text usually names the server. */
import { regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

const G = [NULL_PROBE];
export const ftp: ServiceModule = {
  name: 'ftp',
  matchers: [
    regexMatcher({ probes: G, pattern: /^220[ -][^\r\n]*\(vsFTPd ([\d.]+)\)/, name: 'ftp', product: 'vsftpd', version: '$1', cpe: ['cpe:/a:beasts:vsftpd:$v'] }),
    // vsftpd's fatal configuration errors reach the client as "500 OOPS: …" before any greeting.
    regexMatcher({ probes: G, pattern: /^500 OOPS: (?:vsftpd: )?([^\r\n]*)/, name: 'ftp', product: 'vsftpd', extrainfo: 'error: $1', cpe: ['cpe:/a:beasts:vsftpd'] }),
    regexMatcher({ probes: G, pattern: /^220[ -]ProFTPD(?: ([\d.]+\w*))? Server(?: \(([^)]*)\))?/, name: 'ftp', product: 'ProFTPD', version: '$1', extrainfo: '$2', cpe: ['cpe:/a:proftpd:proftpd:$v'] }),
    regexMatcher({ probes: G, pattern: /^220[ -][^\r\n]*Pure-FTPd/, name: 'ftp', product: 'Pure-FTPd', cpe: ['cpe:/a:pureftpd:pure-ftpd'] }),
    regexMatcher({ probes: G, pattern: /^220[ -][^\r\n]*FileZilla Server(?: version)? ([\d.]+\w*)/, name: 'ftp', product: 'FileZilla ftpd', version: '$1' }),
    regexMatcher({ probes: G, pattern: /^220[ -][^\r\n]*\bFTP\b/i, name: 'ftp' }),
  ],
};

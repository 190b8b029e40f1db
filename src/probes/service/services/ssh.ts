/**
 * SSH speaks first: "SSH-protoversion-softwareversion SP comments CR LF" (RFC 4253 §4.2); lines before it
 * that do not start with "SSH-" are allowed. Fields are laid out as nmap reports them (version plus the
 * distribution comment, protocol in extrainfo) so results compare one to one.
 */
import { build, regexMatcher } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

const IDENT = /^SSH-([\d.]+)-([^\s\r\n]+)(?: ([^\r\n]*))?\r?\n/m;

export const ssh: ServiceModule = {
  name: 'ssh',
  matchers: [
    {
      probes: [NULL_PROBE],
      match(data) {
        const m = IDENT.exec(data.toString('latin1'));
        if (!m) return null;
        const proto = `protocol ${m[1] === '1.99' ? '1.99' : m[1]}`;
        const soft = m[2]!;
        const comment = m[3]?.trim();
        const open = /^OpenSSH_([\w.]+)$/.exec(soft);
        if (open) {
          // "Debian-2+deb12u3" → "Debian 2+deb12u3": the package revision, as nmap shows it.
          const version = comment ? `${open[1]} ${comment.replace(/^(\w+)-/, '$1 ')}` : open[1];
          return build('ssh', 'OpenSSH', version, proto, ['cpe:/a:openbsd:openssh:$v']);
        }
        const drop = /^dropbear_([\w.]+)$/.exec(soft);
        if (drop) return build('ssh', 'Dropbear sshd', drop[1], proto, ['cpe:/a:matt_johnston:dropbear_ssh_server:$v']);
        const generic = /^([A-Za-z][\w.]*?)[_-]v?(\d[\w.]*)$/.exec(soft);
        if (generic) return build('ssh', generic[1], generic[2], proto);
        return build('ssh', soft, undefined, proto);
      },
    },
    // A server that sent "SSH-" but not a whole identification line yet: still SSH.
    regexMatcher({ probes: [NULL_PROBE], pattern: /^SSH-\d/, name: 'ssh' }),
  ],
};

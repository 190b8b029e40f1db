import { splitProductVersion, type UdpPayload } from '../payload.js';
import { buildQuery, parseReply, txtStrings } from '../dns-wire.js';

/**
 * DNS (RFC 1035): a CHAOS-class TXT query for `version.bind`, the name BIND, dnsmasq, Unbound and Knot
 * answer with their version (or refuse: any well-formed reply still proves a DNS server). On a retry, a
 * query for the root's NS records, which servers that drop CHAOS queries still answer (or refuse).
 */
export const dns: UdpPayload = {
  name: 'domain',
  ports: [53],
  build: () => buildQuery(0x5053, 'version.bind', 16 /* TXT */, 3 /* CH */),
  alternates: [() => buildQuery(0x5054, '', 2 /* NS */, 1 /* IN */)],
  parse(reply) {
    const r = parseReply(reply);
    if (!r || (r.id !== 0x5053 && r.id !== 0x5054)) return undefined;
    const txt = r.id === 0x5053 ? r.answers.find((a) => a.type === 16) : undefined;
    if (!txt) return { name: 'domain' };
    const pv = splitProductVersion(txtStrings(txt.data));
    return { name: 'domain', ...pv };
  },
};

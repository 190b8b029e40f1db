import type { UdpPayload } from '../payload.js';
import { int, readTlv, seq, tlv } from '../ber.js';

/**
 * Kerberos V5 (RFC 4120 section 5.4.1): an AS-REQ for `portscope@PORTSCOPE.INVALID`, service krbtgt.
 * A KDC answers KRB-ERROR (application 30), usually "client not found"; that names the service.
 */
const ctx = (n: number, v: Buffer): Buffer => tlv(0xa0 + n, v);
const gstr = (s: string): Buffer => tlv(0x1b, Buffer.from(s, 'latin1'));
const principal = (type: number, ...names: string[]): Buffer => seq(ctx(0, int(type)), ctx(1, seq(...names.map(gstr))));

export const kerberos: UdpPayload = {
  name: 'kerberos-sec',
  ports: [88],
  build() {
    const realm = 'PORTSCOPE.INVALID';
    const body = seq(
      ctx(0, tlv(0x03, [0, 0x50, 0, 0, 0x10])), // kdc-options: forwardable, renewable-ok bits
      ctx(1, principal(1, 'portscope')),
      ctx(2, gstr(realm)),
      ctx(3, principal(2, 'krbtgt', realm)),
      ctx(5, tlv(0x18, Buffer.from('20370913024805Z', 'latin1'))),
      ctx(7, int(0x5053)),
      ctx(8, seq(int(18), int(17))), // aes256/aes128-cts-hmac-sha1-96
    );
    return tlv(0x6a, seq(ctx(1, int(5)), ctx(2, int(10)), ctx(4, body)));
  },
  parse(r) {
    const t = readTlv(r, 0);
    return t && (t.tag === 0x7e || t.tag === 0x6b) ? { name: 'kerberos-sec' } : undefined;
  },
};

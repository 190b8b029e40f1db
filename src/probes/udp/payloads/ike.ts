import type { UdpPayload } from '../payload.js';

/**
 * ISAKMP / IKEv1 (RFC 2408 section 3, RFC 2409 Main Mode): a header and one SA payload with one proposal
 * and one transform (3DES, SHA, MODP-1024, pre-shared key; RFC 2409 appendix A values). Responders answer
 * with their SA choice or a Notify; either echoes our initiator cookie.
 */
const COOKIE = Buffer.from('portscop', 'latin1');

export const ike: UdpPayload = {
  name: 'isakmp',
  ports: [500],
  build() {
    // Transform attributes (TV form, 0x8000 | type): encryption 3DES, hash SHA, auth PSK, group 2.
    const attrs = Buffer.from([0x80, 0x01, 0x00, 0x05, 0x80, 0x02, 0x00, 0x02, 0x80, 0x03, 0x00, 0x01, 0x80, 0x04, 0x00, 0x02]);
    const transform = Buffer.concat([Buffer.from([0, 0, 0, 8 + attrs.length, 1, 1 /* KEY_IKE */, 0, 0]), attrs]);
    const proposal = Buffer.concat([Buffer.from([0, 0, 0, 8 + transform.length, 1, 1 /* PROTO_ISAKMP */, 0, 1]), transform]);
    const sa = Buffer.concat([Buffer.from([0, 0, 0, 12 + proposal.length, 0, 0, 0, 1 /* IPSEC DOI */, 0, 0, 0, 1 /* SIT_IDENTITY_ONLY */]), proposal]);
    const header = Buffer.alloc(28);
    COOKIE.copy(header, 0);
    header[16] = 1; // next payload: SA
    header[17] = 0x10; // version 1.0
    header[18] = 2; // exchange: Identity Protection (Main Mode)
    header.writeUInt32BE(28 + sa.length, 24);
    return Buffer.concat([header, sa]);
  },
  parse: (r) => (r.length >= 28 && r.subarray(0, 8).equals(COOKIE) ? { name: 'isakmp', extrainfo: `IKE v${r[17]! >> 4}` } : undefined),
};

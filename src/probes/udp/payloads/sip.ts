import { splitProductVersion, type UdpPayload } from '../payload.js';

/** SIP (RFC 3261 section 11): an OPTIONS request; servers answer `SIP/2.0 <code>` with Server/User-Agent. */
export const sip: UdpPayload = {
  name: 'sip',
  ports: [5060],
  build: () =>
    Buffer.from(
      [
        'OPTIONS sip:probe@portscope.invalid SIP/2.0',
        'Via: SIP/2.0/UDP portscope.invalid:5060;branch=z9hG4bK-portscope',
        'Max-Forwards: 70',
        'From: <sip:probe@portscope.invalid>;tag=portscope',
        'To: <sip:probe@portscope.invalid>',
        'Call-ID: portscope-probe@portscope.invalid',
        'CSeq: 1 OPTIONS',
        'Accept: application/sdp',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      'latin1',
    ),
  parse(reply) {
    const text = reply.toString('latin1');
    if (!text.startsWith('SIP/2.0 ')) return undefined;
    const agent = /^(?:server|user-agent):\s*(.+)$/im.exec(text)?.[1]?.trim();
    return agent ? { name: 'sip', ...splitProductVersion(agent) } : { name: 'sip' };
  },
};

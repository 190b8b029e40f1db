import type { UdpPayload } from '../payload.js';
import { children, int, nul, octets, oid, readTlv, seq, tlv } from '../ber.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

/**
 * SNMP v2c (RFC 3416 GetRequest, RFC 1901 community framing): get sysDescr.0 with community `public`.
 * An agent that knows the community answers GetResponse with the system description; one that does not
 * stays silent (RFC 3584 section 5.2.1), which reads as open|filtered.
 */
export const snmp: UdpPayload = {
  name: 'snmp',
  ports: [161],
  build: () => seq(int(1) /* v2c */, octets('public'), tlv(0xa0, Buffer.concat([int(0x5053), int(0), int(0), seq(seq(oid(SYS_DESCR), nul()))]))),
  alternates: [snmpV3Discovery],
  parse(reply) {
    const msg = readTlv(reply, 0);
    if (msg?.tag !== 0x30) return undefined;
    const parts = children(msg.value);
    if (parts[0]?.tag === 0x02 && parts[0].value[0] === 3) return parseV3(parts);
    const pdu = parts[2];
    if (!pdu || (pdu.tag !== 0xa2 && pdu.tag !== 0xa8)) return undefined;
    const bindings = children(pdu.value)[3];
    const first = bindings ? children(bindings.value)[0] : undefined;
    const value = first ? children(first.value)[1] : undefined;
    if (value?.tag === 0x04) {
      const descr = value.value.toString('latin1').trim();
      return { name: 'snmp', product: 'SNMPv2c', extrainfo: descr.slice(0, 120) };
    }
    return { name: 'snmp' };
  },
};

/**
 * A v3 Report (RFC 3412 section 6): the USM security parameters (RFC 3414 section 2.4) carry the agent's
 * authoritative engine ID, whose first four bytes are its vendor's IANA enterprise number (RFC 3411
 * SnmpEngineID); 8072 is Net-SNMP.
 */
function parseV3(parts: ReturnType<typeof children>): { name: string; product?: string; extrainfo?: string } {
  const usm = parts[2] ? readTlv(parts[2].value, 0) : undefined;
  const engineId = usm ? children(usm.value)[0] : undefined;
  if (!engineId || engineId.value.length < 4) return { name: 'snmp', product: 'SNMPv3' };
  const enterprise = engineId.value.readUInt32BE(0) & 0x7fffffff;
  return enterprise === 8072 ? { name: 'snmp', product: 'Net-SNMP', extrainfo: 'SNMPv3' } : { name: 'snmp', product: 'SNMPv3', extrainfo: `enterprise ${enterprise}` };
}

/**
 * SNMPv3 engine discovery (RFC 3414 section 4): a GetRequest with an empty user and engine ID; an agent
 * answers a Report carrying its authoritative engine ID. Sent on retries, when `public` got no answer.
 */
export function snmpV3Discovery(): Buffer {
  const globalData = seq(int(0x5053), int(65507), octets(Buffer.from([0x04])) /* reportable */, int(3) /* USM */);
  const usm = octets(seq(octets(''), int(0), int(0), octets(''), octets(''), octets('')));
  const scoped = seq(octets(''), octets(''), tlv(0xa0, Buffer.concat([int(0x5054), int(0), int(0), seq()])));
  return seq(int(3), globalData, usm, scoped);
}

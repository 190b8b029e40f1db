import type { ServiceGuess, UdpPayload } from './payload.js';
import { cldap } from './payloads/cldap.js';
import { dhcp } from './payloads/dhcp.js';
import { dns } from './payloads/dns.js';
import { ike } from './payloads/ike.js';
import { kerberos } from './payloads/kerberos.js';
import { llmnr } from './payloads/llmnr.js';
import { mdns } from './payloads/mdns.js';
import { netbiosNs } from './payloads/netbios-ns.js';
import { ntp } from './payloads/ntp.js';
import { sip } from './payloads/sip.js';
import { coap, memcached, mssqlBrowser, natPmp, openvpn, portmap, quic, radius, stun, syslog, tftp, wireguard } from './payloads/small.js';
import { snmp } from './payloads/snmp.js';
import { ssdp } from './payloads/ssdp.js';

/** Every payload; adding a protocol is one file in payloads/ and one line here (docs/udp.md). */
export const PAYLOADS: readonly UdpPayload[] = [dns, ntp, snmp, netbiosNs, ssdp, mdns, llmnr, dhcp, tftp, syslog, sip, radius, ike, openvpn, wireguard, quic, memcached, coap, stun, portmap, kerberos, cldap, mssqlBrowser, natPmp];

const byPort = new Map<number, UdpPayload>();
for (const p of PAYLOADS) for (const port of p.ports) if (!byPort.has(port)) byPort.set(port, p);

const EMPTY = Buffer.alloc(0);
const built = new Map<UdpPayload, Buffer[]>();

/** The payload registered for a port, if any. */
export function payloadFor(port: number): UdpPayload | undefined {
  return byPort.get(port);
}

/**
 * The datagram for attempt `attempt` (0-based) to a port: its protocol's probe, or on retries the
 * protocol's alternates in turn; an empty datagram for unknown ports (as nmap).
 */
export function datagramFor(port: number, attempt = 0): Buffer {
  const p = byPort.get(port);
  if (!p) return EMPTY;
  let variants = built.get(p);
  if (!variants) built.set(p, (variants = [p.build(), ...(p.alternates ?? []).map((b) => b())]));
  return variants[attempt % variants.length]!;
}

/** Name the service behind a port from its reply; undefined when no parser recognises it. */
export function identifyReply(port: number, reply: Buffer): ServiceGuess | undefined {
  const own = byPort.get(port);
  const guess = own?.parse?.(reply);
  if (guess) return guess;
  // A service on a non-standard port answering another protocol's probe is not tried: only one probe is sent.
  return undefined;
}

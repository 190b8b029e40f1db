import type { NetworkInterfaceInfo } from 'node:os';
import type { Exposure, ListeningSocket } from '../model/index.js';

/** Interface name → its addresses, the shape of os.networkInterfaces(). */
export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** 127.0.0.0/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3) and their IPv4-mapped forms only reach this host. */
export function isLoopback(address: string): boolean {
  const a = stripZone(address).replace(/^::ffff:(?=\d)/i, '');
  return a.startsWith('127.') || a === '::1';
}

/** The unspecified address (0.0.0.0, ::) accepts on every interface. */
export function isUnspecified(address: string): boolean {
  const a = stripZone(address);
  return a === '0.0.0.0' || a === '::' || a === '*' || a === '::ffff:0.0.0.0';
}

export function classifyExposure(address: string): Exposure {
  if (isLoopback(address)) return 'loopback';
  if (isUnspecified(address)) return 'all-interfaces';
  return 'interface';
}

/** The interface that carries `address` (zone id first, then an exact address match), if any. */
export function interfaceOf(address: string, interfaces: InterfaceTable): string | undefined {
  const zone = /%(.+)$/.exec(address)?.[1];
  if (zone !== undefined && !/^\d+$/.test(zone)) return zone;
  const bare = stripZone(address)
    .toLowerCase()
    .replace(/^::ffff:(?=\d)/, '');
  for (const [name, addrs] of Object.entries(interfaces)) {
    for (const a of addrs ?? []) {
      if (stripZone(a.address).toLowerCase() === bare) {
        // Several interfaces may share a link-local address; with a numeric zone prefer the indexed one.
        if (zone === undefined || a.scopeid === Number(zone)) return name;
      }
    }
  }
  return undefined;
}

/**
 * Whether a `::` socket also accepts IPv4, for the `::` sockets whose IPV6_V6ONLY no reader saw
 * (`dualStack` still undefined: sock_diag's INET_DIAG_SKV6ONLY sets it in assembleSockets). Linux does not
 * show IPV6_V6ONLY in /proc/net (only sock_diag netlink, which `ss` uses, carries it). Without netlink we
 * decide from two facts:
 * - net.ipv6.bindv6only=1 makes every `::` socket v6-only unless the program clears the option; we then
 *   say not dual-stack (a program that clears it is misreported; docs/listening.md says so);
 * - a dual-stack `::` socket owns the port for IPv4 as well, so a 0.0.0.0 socket on the same port and
 *   protocol can only coexist when the `::` one is v6-only (bind would fail with EADDRINUSE otherwise,
 *   except with SO_REUSEPORT groups, which this heuristic also reads as v6-only).
 */
export function decideDualStack(sockets: readonly ListeningSocket[], bindV6Only: boolean): void {
  if (!sockets.some((s) => s.family === 6 && s.address === '::' && s.dualStack === undefined)) return;
  // key: port * 2 + (udp ? 1 : 0)
  const v4Any = new Set<number>();
  for (const s of sockets) if (s.family === 4 && s.address === '0.0.0.0') v4Any.add(s.port * 2 + (s.protocol === 'udp' ? 1 : 0));
  for (const s of sockets) {
    if (s.family !== 6 || s.address !== '::' || s.dualStack !== undefined) continue;
    s.dualStack = !bindV6Only && !v4Any.has(s.port * 2 + (s.protocol === 'udp' ? 1 : 0));
  }
}

function stripZone(a: string): string {
  const i = a.indexOf('%');
  return i < 0 ? a : a.slice(0, i);
}

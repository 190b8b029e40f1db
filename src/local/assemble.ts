import { OWNER_NEEDS_ROOT, OWNER_UNKNOWN, type ListeningSocket } from '../model/index.js';
import { classifyExposure, decideDualStack, interfaceOf, type InterfaceTable } from './exposure.js';
import type { RawSocket } from './types.js';

export interface AssembleContext {
  interfaces: InterfaceTable;
  /** Linux net.ipv6.bindv6only; false elsewhere (macOS and Windows default to dual-stack `::` too). */
  bindV6Only: boolean;
  /** Some processes' fds were unreadable: an ownerless socket then says "unknown (needs root)". */
  ownersHidden: boolean;
  /** Well-known service names (src/ports). */
  serviceName?: (port: number, protocol: 'tcp' | 'udp') => string | undefined;
  netns?: string;
}

/** Raw OS rows → the public model, sorted by protocol, port, family, address. */
export function assembleSockets(raw: readonly RawSocket[], ctx: AssembleContext): ListeningSocket[] {
  // Few distinct addresses (0.0.0.0, ::, 127.0.0.1 …) serve many sockets: classify each address once.
  const exposures = new Map<string, Pick<ListeningSocket, 'exposure' | 'interface'>>();
  const out = raw.map((r): ListeningSocket => {
    let where = exposures.get(r.address);
    if (where === undefined) {
      const exposure = classifyExposure(r.address);
      const name = exposure === 'interface' ? interfaceOf(r.address, ctx.interfaces) : undefined;
      where = name === undefined ? { exposure } : { exposure, interface: name };
      exposures.set(r.address, where);
    }
    const processes = r.processes ?? [];
    const s: ListeningSocket = {
      protocol: r.protocol,
      family: r.family,
      address: r.address,
      port: r.port,
      exposure: where.exposure,
      processes,
      owner: OWNER_UNKNOWN,
      ownerKnown: false,
      inode: r.inode,
      state: r.state,
    };
    if (where.interface !== undefined) s.interface = where.interface;
    const owner = ownerOf(processes);
    if (owner !== '') {
      s.owner = owner;
      s.ownerKnown = true;
    } else if (processes.length === 0 && ctx.ownersHidden) s.owner = OWNER_NEEDS_ROOT;
    const service = ctx.serviceName?.(r.port, r.protocol);
    if (service !== undefined) s.service = service;
    if (r.uid !== undefined) s.socketUid = r.uid;
    // The kernel's own IPV6_V6ONLY (sock_diag) settles dual-stack; decideDualStack guesses only without it.
    if (r.v6Only !== undefined && r.family === 6 && r.address === '::') s.dualStack = !r.v6Only;
    if (ctx.netns !== undefined) s.netns = ctx.netns;
    return s;
  });
  decideDualStack(out, ctx.bindV6Only);
  return out.sort(compareSockets);
}

export function compareSockets(a: ListeningSocket, b: ListeningSocket): number {
  if (a.protocol !== b.protocol) return a.protocol === 'tcp' ? -1 : 1;
  if (a.port !== b.port) return a.port - b.port;
  if (a.family !== b.family) return a.family - b.family;
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return (a.inode ?? 0) - (b.inode ?? 0);
}

/** The distinct users of the holding processes, joined by ','; '' when none is known. */
function ownerOf(processes: readonly { user: string }[]): string {
  if (processes.length === 1) return processes[0]!.user;
  const users: string[] = [];
  for (const p of processes) if (p.user !== '' && !users.includes(p.user)) users.push(p.user);
  return users.join(',');
}

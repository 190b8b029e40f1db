/** Reading our JSON output back: every port of a host, whether listed or folded into extraports. */
import { parsePortRanges, type PortReason, type PortState, type Protocol } from '../../model/index.js';
import type { JsonHost } from '../../output/json-model.js';

export interface ExpandedPort {
  port: number;
  protocol: Protocol;
  state: PortState;
  reason: PortReason;
}

/** All ports of one JSON host, sorted by protocol then port number. */
export function expandPorts(host: Pick<JsonHost, 'ports' | 'extraports'>): ExpandedPort[] {
  const out: ExpandedPort[] = host.ports.map((p) => ({ port: p.port, protocol: p.protocol, state: p.state, reason: p.reason }));
  for (const g of host.extraports) {
    for (const port of parsePortRanges(g.ports)) out.push({ port, protocol: g.protocol, state: g.state, reason: g.reason });
  }
  return out.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

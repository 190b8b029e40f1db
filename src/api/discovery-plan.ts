import type { PingPlan } from '../engine/ping-phase.js';
import { OptionError } from '../model/index.js';
import { defaultUdpBackend, dgramUdpBackend, echoCapability, nativeEchoBackend, type EchoMode } from '../net/index.js';
import { parsePortSpec } from '../ports/index.js';

/** nmap's unprivileged host discovery: a connect to 80 and 443 (nmap(1), "Host Discovery"). */
const DEFAULT_TCP_PING = Uint16Array.of(80, 443);

/** What the discovery options of a scan ask for (a subset of ScanOptions). */
export interface DiscoveryOptions {
  skipDiscovery?: boolean;
  pingPorts?: string;
  pingUdpPorts?: string;
  pingEcho?: boolean;
  dryRun?: boolean;
  proxy?: string;
  backend?: 'auto' | 'native' | 'node';
}

/**
 * The probes of host discovery (docs/scale.md): nmap's rule is that any -P* option replaces the default
 * probes, and several combine (a host is up when any proves it). So -PE alone sends no TCP connect ping;
 * -PS22 -PE sends both. Without any, the default is nmap's unprivileged one (connect to 80 and 443).
 * Throws OptionError with one line when -PE cannot run here (no addon, or no ICMP socket permission).
 */
export function discoveryPlan(options: DiscoveryOptions): { tcp: Uint16Array | null; ping?: PingPlan; describe: string } {
  const plan = choose(options);
  const parts: string[] = [];
  if (plan.tcp === null) return { ...plan, describe: 'none (-Pn)' };
  if (plan.tcp.length > 0) parts.push(`TCP connect to ${[...plan.tcp].join(',')}`);
  if (plan.ping?.udp) parts.push(`UDP to ${[...plan.ping.udp.ports].join(',')}`);
  if (plan.ping?.echo) parts.push(`ICMP echo (${plan.echoMode === 'raw' ? 'raw socket' : 'ping socket'})`);
  const { echoMode: _, ...rest } = plan;
  return { ...rest, describe: parts.join(', ') };
}

function choose(options: DiscoveryOptions): { tcp: Uint16Array | null; ping?: PingPlan; echoMode?: EchoMode } {
  const tcpPorts = (spec: string, flag: string): Uint16Array => {
    let ports: Uint16Array;
    try {
      ports = Uint16Array.from(parsePortSpec(spec, ['tcp']).tcp);
    } catch (err) {
      throw new OptionError(`${flag}: ${(err as Error).message}`);
    }
    if (ports.length === 0) throw new OptionError(`${flag}: no ports given`);
    return ports;
  };
  const udpPorts = options.pingUdpPorts !== undefined ? tcpPorts(options.pingUdpPorts, '-PU') : undefined;
  const tcp = options.pingPorts !== undefined ? tcpPorts(options.pingPorts, '-PS') : udpPorts || options.pingEcho ? new Uint16Array(0) : DEFAULT_TCP_PING;
  if (options.skipDiscovery) return { tcp: null };
  if (!udpPorts && !options.pingEcho) return { tcp };
  if (options.proxy !== undefined) throw new OptionError('-PU and -PE cannot go through a SOCKS5 proxy (they would leave from this machine)');
  // --dry-run sends nothing: its discovery is the dry connect ping, which "answers" every host.
  if (options.dryRun) return { tcp: tcp.length > 0 ? tcp : DEFAULT_TCP_PING };
  const ping: PingPlan = {};
  if (udpPorts) ping.udp = { ports: udpPorts, payload: Buffer.alloc(0), backend: options.backend === 'node' ? dgramUdpBackend : defaultUdpBackend().factory };
  if (options.pingEcho) {
    const cap = echoCapability(4);
    if (cap.mode === null) throw new OptionError(`-PE: ${cap.reason}`);
    ping.echo = { backend: nativeEchoBackend(cap.mode) };
    return { tcp, ping, echoMode: cap.mode };
  }
  return { tcp, ping };
}

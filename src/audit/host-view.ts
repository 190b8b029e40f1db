import type { ListeningSocket, PortResult, ProcessExtra } from '../model/index.js';
import type { FirewallRuleFact } from './evidence-schema.js';

/** The outside view of one address: TCP connect results for the ports scanned there. */
export interface OutsideResult {
  address: string;
  ports: PortResult[];
}

/** Everything known about one audited host. Local hosts have an inside view; remote ones only scans. */
export interface HostView {
  /** `local`, or the remote host's address. */
  host: string;
  kind: 'local' | 'remote';
  /** Names the host is known by (the target spec, PTR names), for `hosts[].match`. */
  names: string[];
  inside: ListeningSocket[] | null;
  extras: ReadonlyMap<number, ProcessExtra>;
  outside: OutsideResult[];
  firewalls: string[];
  /** The host's firewall read and evaluated (local, root): absent when it could not be read. */
  firewall?: FirewallFacts;
}

/** What the firewall says, for the firewall checks and as evidence on every finding (docs/firewall.md). */
export interface FirewallFacts {
  /** A new connection from another host (source unknown) to PORT over IPv4 or IPv6. */
  decide(protocol: 'tcp' | 'udp', port: number, family: 4 | 6): { verdict: string; predicted: string; rule: FirewallRuleFact | null };
  /** Accept rules for ports nothing listens on. */
  stale: { rule: FirewallRuleFact; protocol: 'tcp' | 'udp' | 'any'; ports: number[] }[];
  /** Rules an earlier rule of their chain always pre-empts. */
  shadowed: { rule: FirewallRuleFact; by: FirewallRuleFact; protocol: 'tcp' | 'udp'; port: number }[];
}

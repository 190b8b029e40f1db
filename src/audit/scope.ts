import type { ListeningSocket } from '../model/index.js';
import { isLoopback } from '../targets/address.js';
import { cidrContains, parseCidr } from './cidr.js';
import type { PolicyRules, PortRule } from './rule-schema.js';

/** A rule with where it came from (`ports[2]`), for evidence and SARIF locations. */
export interface LocatedRule {
  rule: PortRule;
  path: string;
}

export function scopes(rule: PortRule): string[] {
  return Array.isArray(rule.to) ? rule.to : [rule.to];
}

/**
 * Whether a socket's binding stays inside the allowed scopes. Loopback is the narrowest exposure and
 * always allowed; `interface` allows any one-address binding; a CIDR allows one-address bindings inside it;
 * `public` allows everything, including 0.0.0.0 / ::.
 */
export function bindAllowed(socket: Pick<ListeningSocket, 'exposure' | 'address'>, to: string[]): boolean {
  if (socket.exposure === 'loopback') return true;
  for (const s of to) {
    if (s === 'public') return true;
    if (s === 'interface' && socket.exposure === 'interface') return true;
    const cidr = s.includes('/') || s.includes(':') || /^\d/.test(s) ? parseCidr(s) : null;
    if (cidr && socket.exposure === 'interface' && cidrContains(cidr, socket.address)) return true;
  }
  return false;
}

/** Whether reaching the port at `address` from outside is within the allowed scopes (remote audits). */
export function reachAllowed(address: string, to: string[]): boolean {
  if (isLoopback(address)) return true;
  for (const s of to) {
    if (s === 'public' || s === 'interface') return true;
    const cidr = s === 'loopback' ? null : parseCidr(s);
    if (cidr && cidrContains(cidr, address)) return true;
  }
  return false;
}

/** Whether a socket accepts connections to `address` (wildcards; `::` also takes IPv4 when dual-stack). */
export function socketCovers(socket: Pick<ListeningSocket, 'address' | 'family' | 'dualStack'>, address: string): boolean {
  const v6 = address.includes(':');
  if (socket.address === '0.0.0.0') return !v6;
  if (socket.address === '::') return v6 || socket.dualStack === true;
  return socket.address === address;
}

/**
 * The rules for a host: those of the first `hosts` entry whose `match` names it (`local` for this machine,
 * an address, a CIDR containing it, or the name the user typed), else the top-level `ports`.
 */
export function rulesFor(policy: PolicyRules, host: { kind: 'local' | 'remote'; address: string; names: string[] }): LocatedRule[] {
  for (const [h, entry] of policy.hosts.entries()) {
    const matches = Array.isArray(entry.match) ? entry.match : [entry.match];
    const hit = matches.some((m) => {
      if (m === 'local') return host.kind === 'local';
      if (host.kind === 'local') return false;
      if (m === host.address || host.names.includes(m)) return true;
      const cidr = parseCidr(m);
      return cidr !== null && cidrContains(cidr, host.address);
    });
    if (hit) return entry.ports.map((rule, i) => ({ rule, path: `hosts[${h}].ports[${i}]` }));
  }
  return policy.ports.map((rule, i) => ({ rule, path: `ports[${i}]` }));
}

export function findRule(rules: LocatedRule[], protocol: 'tcp' | 'udp', port: number): LocatedRule | undefined {
  return rules.find((r) => r.rule.port === port && r.rule.protocol === protocol);
}

/** A process matches a rule's owner constraints: name (comm or command basename) and user (name or uid). */
export function ownerMatches(proc: { name: string; command: string; user: string; uid: number | null }, rule: PortRule): boolean {
  const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const names = list(rule.process);
  const users = list(rule.user);
  const exeBase = proc.command.split(' ')[0]?.split('/').pop() ?? '';
  if (names && !names.some((n) => n === proc.name || n === exeBase)) return false;
  if (users && !users.some((u) => u === proc.user || (proc.uid !== null && u === String(proc.uid)))) return false;
  return true;
}

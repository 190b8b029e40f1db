/**
 * Fleet-wide findings (issue 14, docs/fleet.md): each machine's latest inside view (listening --save)
 * joined with what stored outside scans saw at the machine's addresses. Pure: the caller reads the store.
 */
import type { FleetSocket, ListeningSnapshot } from '../model/index.js';
import type { Policy } from './policy-schema.js';
import { findRule, reachAllowed, rulesFor, socketCovers } from './scope.js';

export type FleetFindingType = 'listening-all-filtered' | 'open-not-in-policy' | 'listener-not-seen' | 'machine-not-scanned';

export interface FleetFinding {
  type: FleetFindingType;
  severity: 'high' | 'medium' | 'low' | 'info';
  machineId: string;
  hostname: string;
  /** The outside address the finding is about ('' for machine-wide findings). */
  address: string;
  protocol: 'tcp' | 'udp' | '';
  port: number;
  title: string;
  evidence: Record<string, unknown>;
}

/** What stored scans say about one address (store/fleet-write.ts OutsideView, structurally). */
export interface AddressView {
  latest?: { scanId: number; startedAt: number; status: string; ports: Map<string, string> };
  openSince: Set<string>;
  probedSince: Set<string>;
}

export interface FleetInput {
  machines: ListeningSnapshot[];
  views: Map<string, AddressView>;
  /** Without a policy every port open from outside is a finding (as `audit` without --policy). */
  policy?: Policy;
  /** The window of `listener-not-seen`, in days (for the titles). */
  days: number;
}

const FAMILY = (a: string): 4 | 6 => (a.includes(':') ? 6 : 4);
const isFiltered = (state: string | undefined): boolean => state === 'filtered' || state === 'closed|filtered';

export function evaluateFleet(input: FleetInput): FleetFinding[] {
  const out: FleetFinding[] = [];
  for (const m of input.machines) {
    const base = { machineId: m.machineId, hostname: m.hostname };
    const scanned = m.addresses.filter((a) => input.views.get(a)?.latest);
    if (scanned.length === 0) {
      out.push({
        ...base,
        type: 'machine-not-scanned',
        severity: 'info',
        address: '',
        protocol: '',
        port: 0,
        title: `${m.hostname}: none of its addresses (${m.addresses.join(', ') || 'none'}) is in a stored scan`,
        evidence: { addresses: m.addresses },
      });
      continue;
    }
    for (const address of scanned) {
      const v = input.views.get(address)!;
      const latest = v.latest!;
      const reachable = m.sockets.filter((s) => s.protocol === 'tcp' && s.exposure !== 'loopback' && socketCovers(s, address));
      for (const s of reachable) {
        const key = `tcp/${s.port}`;
        const state = latest.ports.get(key);
        if (s.exposure === 'all-interfaces' && isFiltered(state)) {
          out.push({
            ...base,
            type: 'listening-all-filtered',
            severity: 'low',
            address,
            protocol: 'tcp',
            port: s.port,
            title: `${m.hostname}: tcp/${s.port} (${procNames(s)}) listens on all interfaces but is ${state} from outside at ${address}`,
            evidence: { bind: s.address, state, scanId: latest.scanId },
          });
        }
        if (!v.openSince.has(key)) {
          const why = v.probedSince.has(key) ? 'never open' : 'not probed';
          out.push({
            ...base,
            type: 'listener-not-seen',
            severity: 'medium',
            address,
            protocol: 'tcp',
            port: s.port,
            title: `${m.hostname}: tcp/${s.port} (${procNames(s)}) listens but no scan of ${address} in the last ${input.days} days saw it open (${why})`,
            evidence: { bind: s.address, reason: why },
          });
        }
      }
      for (const [key, state] of latest.ports) {
        if (state !== 'open') continue;
        const [proto, portText] = key.split('/') as ['tcp' | 'udp', string];
        const port = Number(portText);
        if (allowed(input.policy, m, address, proto, port)) continue;
        out.push({
          ...base,
          type: 'open-not-in-policy',
          severity: 'high',
          address,
          protocol: proto,
          port,
          title: `${m.hostname}: ${key} is open from outside at ${address} and not allowed by the policy`,
          evidence: { scanId: latest.scanId, listener: listenerFor(m.sockets, address, proto, port) },
        });
      }
    }
  }
  return out.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.machineId.localeCompare(b.machineId) || a.address.localeCompare(b.address) || a.port - b.port || a.type.localeCompare(b.type));
}

function allowed(policy: Policy | undefined, m: ListeningSnapshot, address: string, protocol: 'tcp' | 'udp', port: number): boolean {
  if (!policy) return false;
  const hit = findRule(rulesFor(policy, { kind: 'remote', address, names: [m.hostname, m.machineId] }), protocol, port);
  if (!hit) return false;
  const to = Array.isArray(hit.rule.to) ? hit.rule.to : [hit.rule.to];
  return reachAllowed(address, to);
}

function listenerFor(sockets: FleetSocket[], address: string, protocol: string, port: number): string | null {
  const s = sockets.find((k) => k.protocol === protocol && k.port === port && k.family === FAMILY(address));
  return s ? procNames(s) : null;
}

function procNames(s: FleetSocket): string {
  const names = [...new Set(s.processes.map((p) => p.name))];
  return names.length ? names.join(',') : s.owner;
}

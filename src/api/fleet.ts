/**
 * The fleet's inside view (issue 14, docs/fleet.md): `saveListening` stores this machine's listening
 * sockets with its identity; `fleetAudit` joins every machine's latest inside view with stored outside
 * scans of its addresses.
 */
import { evaluateFleet, type FleetFinding } from '../audit/fleet.js';
import { loadPolicyFile } from '../audit/policy-load.js';
import { readMachineIdentity, type IdentityOverrides } from '../local/machine-identity.js';
import { OptionError, type ListeningSnapshot, type ListeningSocket } from '../model/index.js';
import { HistoryStore } from '../store/index.js';
import { VERSION } from '../version.js';
import { listening, type ListeningOptions } from './listening.js';

export type { FleetFinding } from '../audit/fleet.js';

export interface SaveListeningOptions extends IdentityOverrides {
  /** History database: SQLite path or postgres:// URL (default: $PORTSCOPE_DB, else the user's file). */
  db?: string;
  env?: NodeJS.ProcessEnv;
  /** Sockets already read (the CLI lists them once for its table and the store). */
  sockets?: ListeningSocket[];
  listening?: ListeningOptions;
}

/** Store this machine's listening sockets; returns the snapshot id, the machine and where it was stored. */
export async function saveListening(opts: SaveListeningOptions = {}): Promise<{ id: number; snapshot: ListeningSnapshot; db: string }> {
  const env = opts.env ?? process.env;
  const identity = readMachineIdentity(opts, env);
  const sockets = opts.sockets ?? (await listening(opts.listening ?? {}));
  const snapshot: ListeningSnapshot = {
    ...identity,
    takenAt: Date.now(),
    version: VERSION,
    sockets: sockets.map((s) => {
      const k: ListeningSnapshot['sockets'][number] = {
        protocol: s.protocol,
        family: s.family,
        address: s.address,
        port: s.port,
        exposure: s.exposure,
        processes: s.processes.map((p) => ({ pid: p.pid, name: p.name, user: p.user })),
        owner: s.owner,
      };
      if (s.dualStack !== undefined) k.dualStack = s.dualStack;
      return k;
    }),
  };
  const store = await HistoryStore.open(opts.db, env);
  try {
    const id = await store.saveListening(snapshot);
    return { id, snapshot, db: store.location.display };
  } finally {
    await store.close();
  }
}

export interface FleetAuditOptions {
  db?: string;
  env?: NodeJS.ProcessEnv;
  /** A listener no scan of the last `days` days saw open is a finding (default 7). */
  days?: number;
  /** Policy file (YAML, docs/audit.md): open ports it allows are not findings. */
  policy?: string;
  now?: number;
}

export interface FleetAuditResult {
  machines: { machineId: string; hostname: string; addresses: string[]; takenAt: number; sockets: number }[];
  findings: FleetFinding[];
}

export const DEFAULT_FLEET_DAYS = 7;

export async function fleetAudit(opts: FleetAuditOptions = {}): Promise<FleetAuditResult> {
  const days = opts.days ?? DEFAULT_FLEET_DAYS;
  if (!Number.isFinite(days) || days <= 0) throw new OptionError(`--days needs a positive number of days, not ${days}`);
  const policy = opts.policy === undefined ? undefined : loadPolicyFile(opts.policy).policy;
  const store = await HistoryStore.open(opts.db, opts.env ?? process.env);
  try {
    const machines = await store.latestListening();
    const addresses = [...new Set(machines.flatMap((m) => m.addresses))];
    const since = (opts.now ?? Date.now()) - days * 86_400_000;
    const views = await store.outsideViews(addresses, since);
    const findings = evaluateFleet({ machines, views, days, ...(policy ? { policy } : {}) });
    return {
      machines: machines.map((m) => ({ machineId: m.machineId, hostname: m.hostname, addresses: m.addresses, takenAt: m.takenAt, sockets: m.sockets.length })),
      findings,
    };
  } finally {
    await store.close();
  }
}

/**
 * `portscope doctor`: what a user pastes into a bug report. Node and platform, the probe backend in use and
 * why, what this process may do (ping sockets, CAP_NET_RAW, network namespaces), which database drivers load,
 * and the kernel's ICMP rate limits (they decide UDP scan speed: docs/udp.md).
 */
import { createRequire } from 'node:module';
import { arch, platform, release } from 'node:os';
import { backendStatus, type BackendStatus } from '../net/backend-status.js';
import { echoCapability } from '../net/icmp-backend.js';
import { capabilityFacts, ICMP_SYSCTLS, netnsFacts, pingSocketFacts, readSysctl, type CapabilityFacts, type NetnsFacts, type PingSocketFacts } from '../local/linux/host-facts.js';
import { probeSqliteDriver, SQLITE_DRIVERS } from '../store/sqlite-driver.js';
import { VERSION } from '../version.js';
import { probeListeningSource } from './listening-source.js';

export interface DatabaseDriver {
  name: 'better-sqlite3' | 'node:sqlite' | 'pg';
  available: boolean;
  detail: string;
}

export interface DoctorReport {
  portscope: string;
  node: string;
  /** N-API version of this Node (the native addon needs 8). */
  napi: string;
  platform: string;
  arch: string;
  kernel: string;
  backend: BackendStatus;
  /** Linux only; null elsewhere. */
  linux: {
    pingSockets: PingSocketFacts;
    /** What `scan -PE` would use here, per family: `dgram` (ping socket), `raw`, or why neither opens. */
    icmpEcho: { v4: string; v6: string };
    capabilities: CapabilityFacts;
    netns: NetnsFacts;
    /** sysctl name → value as the kernel prints it (null: not present). */
    icmpRateLimits: Record<string, string | null>;
    /** The reader `listening` uses here (docs/listening.md): sock_diag netlink, or /proc/net and why. */
    listeningSource: { source: 'sock_diag' | 'proc'; detail: string };
  } | null;
  databases: DatabaseDriver[];
}

export function doctor(env: NodeJS.ProcessEnv = process.env): DoctorReport {
  const isLinux = process.platform === 'linux';
  return {
    portscope: VERSION,
    node: process.versions.node,
    napi: process.versions.napi ?? '?',
    platform: platform(),
    arch: arch(),
    kernel: release(),
    backend: backendStatus(),
    linux: isLinux
      ? {
          pingSockets: pingSocketFacts(ownGroups()),
          icmpEcho: { v4: echoWord(4), v6: echoWord(6) },
          capabilities: capabilityFacts(),
          netns: netnsFacts(env.PATH ?? ''),
          icmpRateLimits: Object.fromEntries(ICMP_SYSCTLS.map((name) => [name, readSysctl(name)])),
          listeningSource: probeListeningSource(),
        }
      : null,
    databases: [...SQLITE_DRIVERS.map(probeSqliteDriver), probePg()],
  };
}

function echoWord(family: 4 | 6): string {
  const c = echoCapability(family);
  return c.mode ?? c.reason;
}

function ownGroups(): number[] {
  const gids = [process.getgid?.() ?? -1, ...(process.getgroups?.() ?? [])].filter((g) => g >= 0);
  return [...new Set(gids)];
}

function probePg(): DatabaseDriver {
  try {
    const require = createRequire(import.meta.url);
    const { version } = require('pg/package.json') as { version: string };
    require.resolve('pg');
    return { name: 'pg', available: true, detail: `pg ${version} (PostgreSQL: --db postgres://…)` };
  } catch (err) {
    return { name: 'pg', available: false, detail: ((err as Error).message ?? String(err)).split('\n')[0]! };
  }
}

/**
 * Facts about this Linux host that decide what portscope can do here, read from /proc and the file system
 * (never by running a program): ping sockets, capabilities, network namespaces, ICMP rate limits.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PingSocketFacts {
  /** net.ipv4.ping_group_range: groups allowed to open unprivileged ICMP echo sockets (SOCK_DGRAM, IPPROTO_ICMP). */
  groupRange: [number, number] | null;
  /** This process's gid and supplementary groups. */
  gids: number[];
  allowed: boolean;
}

export interface CapabilityFacts {
  /** CapEff from /proc/self/status, hex as the kernel prints it. */
  effective: string | null;
  netRaw: boolean;
  netAdmin: boolean;
  sysAdmin: boolean;
}

export interface NetnsFacts {
  /** /var/run/netns exists (where `ip netns` keeps named namespaces). */
  runDir: boolean;
  /** Path of the `ip` program (iproute2), or null. */
  ipCommand: string | null;
  /** The kernel has network namespaces (/proc/self/ns/net). */
  kernel: boolean;
}

/** Capability bit numbers from linux/capability.h. */
const CAP_NET_ADMIN = 12n;
const CAP_NET_RAW = 13n;
const CAP_SYS_ADMIN = 21n;

/** The ICMP rate-limit sysctls (kernel docs: networking/ip-sysctl.rst); values as the kernel prints them. */
export const ICMP_SYSCTLS = ['net.ipv4.icmp_ratelimit', 'net.ipv4.icmp_ratemask', 'net.ipv4.icmp_msgs_per_sec', 'net.ipv4.icmp_msgs_burst', 'net.ipv6.icmp.ratelimit'] as const;

export function readSysctl(name: string, procRoot = '/proc'): string | null {
  try {
    return readFileSync(join(procRoot, 'sys', ...name.split('.')), 'utf8').trim();
  } catch {
    return null;
  }
}

export function pingSocketFacts(gids: number[], procRoot = '/proc'): PingSocketFacts {
  const raw = readSysctl('net.ipv4.ping_group_range', procRoot);
  const m = raw ? /^(\d+)\s+(\d+)$/.exec(raw) : null;
  const groupRange: [number, number] | null = m ? [Number(m[1]), Number(m[2])] : null;
  const allowed = groupRange !== null && gids.some((g) => g >= groupRange[0] && g <= groupRange[1]);
  return { groupRange, gids, allowed };
}

export function capabilityFacts(procRoot = '/proc'): CapabilityFacts {
  let effective: string | null = null;
  try {
    effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(join(procRoot, 'self', 'status'), 'utf8'))?.[1] ?? null;
  } catch {}
  const bits = effective === null ? 0n : BigInt(`0x${effective}`);
  const has = (bit: bigint): boolean => ((bits >> bit) & 1n) === 1n;
  return { effective, netRaw: has(CAP_NET_RAW), netAdmin: has(CAP_NET_ADMIN), sysAdmin: has(CAP_SYS_ADMIN) };
}

export function netnsFacts(path = process.env.PATH ?? '', procRoot = '/proc'): NetnsFacts {
  return { runDir: existsSync('/var/run/netns'), ipCommand: findProgram('ip', path), kernel: existsSync(join(procRoot, 'self', 'ns', 'net')) };
}

/** Where PATH (then /usr/sbin, /sbin, where Debian keeps `ip` for non-root users' PATH) finds an executable. */
export function findProgram(name: string, path: string): string | null {
  for (const dir of [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/sbin']) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

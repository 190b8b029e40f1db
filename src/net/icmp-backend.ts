import { constants } from 'node:os';
import { loadAddon } from './addon.js';
import type { IcmpDetail } from './udp-backend.js';

/**
 * ICMP echo for host discovery (-PE) through the native addon (native/icmp_pinger.c): a ping socket
 * (SOCK_DGRAM + IPPROTO_ICMP/ICMPV6) when net.ipv4.ping_group_range holds the process's group, else a raw
 * socket when the process has CAP_NET_RAW. Node itself has no ICMP socket.
 */

/** Which socket the pinger uses: the unprivileged ping socket, or a raw one (CAP_NET_RAW). */
export type EchoMode = 'dgram' | 'raw';

export interface EchoProbe {
  id: number;
  /** The echo's sequence number (16 bits). */
  seq: number;
}

/** code 0 = echo reply, OUTCOME_TIMEOUT (-1) = silence, > 0 = errno (with `icmp` when an ICMP error came back). */
export interface EchoOutcome {
  id: number;
  code: number;
  rttUs: number;
  icmp?: IcmpDetail;
}

export interface EchoBackend {
  readonly mode: EchoMode;
  submit(address: string, probes: readonly EchoProbe[], timeoutMs: number): void;
  close(): void;
}

export type EchoBackendFactory = (onOutcome: (o: EchoOutcome) => void) => EchoBackend;

interface NativeIcmpModule {
  open(cb: (ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, icmp: Int32Array) => void): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, seqs: Uint16Array, timeoutMs: number, raw: boolean): void;
  close(handle: unknown): void;
  capability(family: 4 | 6): EchoMode | number;
}

function loadIcmp(): NativeIcmpModule | null {
  return (loadAddon()?.icmp as NativeIcmpModule | undefined) ?? null;
}

const errnoName = (code: number): string => Object.entries(constants.errno).find(([, v]) => v === code)?.[0] ?? `errno ${code}`;

/**
 * Whether this process can send ICMP echo to `family` now, and how. Ping sockets are preferred: they need
 * no privilege and the kernel matches replies to the socket. The answer depends on the process's group and
 * network namespace (the sysctl is per namespace), so it is asked at scan time, not cached.
 */
export function echoCapability(family: 4 | 6): { mode: EchoMode } | { mode: null; reason: string } {
  const mod = loadIcmp();
  if (!mod) {
    const addon = loadAddon();
    return {
      mode: null,
      reason: addon ? 'the native addon has no ICMP pinger (built before it existed: node scripts/build-native.mjs --from-source)' : 'ICMP echo needs the native addon, which is not available (portscope doctor says why)',
    };
  }
  const c = mod.capability(family);
  if (typeof c === 'string') return { mode: c };
  let gid = '?';
  try {
    gid = String(process.getgid?.() ?? '?');
  } catch {
    // not POSIX
  }
  return {
    mode: null,
    reason: `no ICMP socket for IPv${family} (${errnoName(c)}): the process's group ${gid} is outside net.ipv4.ping_group_range and it lacks CAP_NET_RAW`,
  };
}

/** Echo probes through the native pinger, with the socket kind `mode`. */
export function nativeEchoBackend(mode: EchoMode): EchoBackendFactory {
  return (onOutcome) => {
    const mod = loadIcmp();
    if (!mod) throw new Error('the native addon has no ICMP pinger');
    let handle: unknown = mod.open((ids, codes, rtts, icmp) => {
      if (handle === null) return;
      for (let i = 0; i < ids.length; i++) {
        const o: EchoOutcome = { id: ids[i]!, code: codes[i]!, rttUs: rtts[i]! };
        const d = icmp[i]!;
        if (d >= 0) o.icmp = { v6: d >> 16 === 1, type: (d >> 8) & 0xff, code: d & 0xff };
        onOutcome(o);
        if (handle === null) return;
      }
    });
    return {
      mode,
      submit(address, probes, timeoutMs) {
        if (handle === null || probes.length === 0) return;
        mod.submit(
          handle,
          address,
          Uint32Array.from(probes, (p) => p.id),
          Uint16Array.from(probes, (p) => p.seq & 0xffff),
          Math.max(1, Math.round(timeoutMs)),
          mode === 'raw',
        );
      },
      close() {
        if (handle === null) return;
        const h = handle;
        handle = null;
        mod.close(h);
      },
    };
  };
}

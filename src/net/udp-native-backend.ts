import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dgramUdpBackend, type UdpBackendFactory, type UdpOutcome } from './udp-backend.js';

type NativeUdpCallback = (ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, seqs: Uint32Array, icmp: Int32Array, replies: (Buffer | undefined)[]) => void;

interface NativeUdpModule {
  open(cb: NativeUdpCallback): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, ports: Uint16Array, payloads: Buffer[], timeoutMs: number, source?: string): void;
  close(handle: unknown): void;
}

let loaded: NativeUdpModule | null | undefined;
let loadError = '';

/** The compiled UDP prober (build/Release/portscope_udp.node, native/udp_prober.c), or null with a reason. */
export function loadNativeUdp(): NativeUdpModule | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.platform !== 'linux') {
    loadError = `native UDP prober is Linux-only (this is ${process.platform})`;
    return loaded;
  }
  let root: string | null = null;
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'binding.gyp'))) root = d;
    if (root || dirname(d) === d) break;
  }
  const file = root ? join(root, 'build', 'Release', 'portscope_udp.node') : '';
  if (!file || !existsSync(file)) {
    loadError = 'native UDP prober not built (npm install builds it with node-gyp)';
    return loaded;
  }
  try {
    loaded = createRequire(import.meta.url)(file) as NativeUdpModule;
  } catch (err) {
    loadError = `native UDP prober failed to load: ${(err as Error).message}`;
  }
  return loaded;
}

export function nativeUdpUnavailableReason(): string {
  loadNativeUdp();
  return loadError;
}

/**
 * UDP probes through the native prober: one connected socket per probe with IP_RECVERR / IPV6_RECVERR,
 * so every ICMP error arrives with its type and code (`icmp` of the outcome), including host- and
 * net-unreachable that a plain connected socket never hears of (docs/udp.md).
 */
export const nativeUdpBackend: UdpBackendFactory = (onOutcome) => {
  const mod = loadNativeUdp();
  if (!mod) throw new Error(loadError);
  let handle: unknown = mod.open((ids, codes, rtts, seqs, icmp, replies) => {
    if (handle === null) return;
    for (let i = 0; i < ids.length; i++) {
      const o: UdpOutcome = { id: ids[i]!, code: codes[i]!, rttUs: rtts[i]!, sentSeq: seqs[i]! };
      const d = icmp[i]!;
      if (d >= 0) o.icmp = { v6: d >> 16 === 1, type: (d >> 8) & 0xff, code: d & 0xff };
      const reply = replies[i];
      if (reply) o.reply = reply;
      onOutcome(o);
      if (handle === null) return;
    }
  });
  return {
    name: 'native',
    submit(address, _family, probes, timeoutMs, source) {
      if (handle === null || probes.length === 0) return;
      const ids = Uint32Array.from(probes, (p) => p.id);
      const ports = Uint16Array.from(probes, (p) => p.port);
      mod.submit(handle, address, ids, ports, probes.map((p) => p.payload), Math.max(1, Math.round(timeoutMs)), source);
    },
    close() {
      if (handle === null) return;
      const h = handle;
      handle = null;
      mod.close(h);
    },
  };
};

/** The native prober when it is built (Linux), else connected node:dgram sockets: same interface. */
export function defaultUdpBackend(): { name: 'native' | 'dgram'; factory: UdpBackendFactory } {
  return loadNativeUdp() ? { name: 'native', factory: nativeUdpBackend } : { name: 'dgram', factory: dgramUdpBackend };
}

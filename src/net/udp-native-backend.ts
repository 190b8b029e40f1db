import { addonStatus, loadAddon } from './addon.js';
import { dgramUdpBackend, type UdpBackendFactory, type UdpOutcome } from './udp-backend.js';

type NativeUdpCallback = (ids: Uint32Array, codes: Int32Array, rttUs: Uint32Array, seqs: Uint32Array, icmp: Int32Array, replies: (Buffer | undefined)[]) => void;

interface NativeUdpModule {
  open(cb: NativeUdpCallback): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, ports: Uint16Array, payloads: Buffer[], timeoutMs: number, source?: string): void;
  close(handle: unknown): void;
}

/** The UDP half of the native addon (native/udp_prober.c), or null: see nativeUdpUnavailableReason(). */
export function loadNativeUdp(): NativeUdpModule | null {
  return (loadAddon()?.udp as NativeUdpModule | undefined) ?? null;
}

export function nativeUdpUnavailableReason(): string {
  return addonStatus().reason;
}

/**
 * UDP probes through the native prober: one connected socket per probe with IP_RECVERR / IPV6_RECVERR,
 * so every ICMP error arrives with its type and code (`icmp` of the outcome), including host- and
 * net-unreachable that a plain connected socket never hears of (docs/udp.md).
 */
export const nativeUdpBackend: UdpBackendFactory = (onOutcome) => {
  const mod = loadNativeUdp();
  if (!mod) throw new Error(nativeUdpUnavailableReason());
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
      mod.submit(
        handle,
        address,
        ids,
        ports,
        probes.map((p) => p.payload),
        Math.max(1, Math.round(timeoutMs)),
        source,
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

/** The native prober when it is built (Linux), else connected node:dgram sockets: same interface. */
export function defaultUdpBackend(): { name: 'native' | 'dgram'; factory: UdpBackendFactory } {
  return loadNativeUdp() ? { name: 'native', factory: nativeUdpBackend } : { name: 'dgram', factory: dgramUdpBackend };
}

import { addonStatus, loadAddon } from './addon.js';
import type { BackendFactory, ConnectBackend, OutcomeHandler } from './backend.js';

interface NativeModule {
  open(cb: OutcomeHandler): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, ports: Uint16Array, timeoutMs: number): void;
  close(handle: unknown): void;
}

/** The connect half of the native addon (native/connect_scanner.c), or null: see nativeUnavailableReason(). */
export function loadNative(): NativeModule | null {
  return (loadAddon()?.connect as NativeModule | undefined) ?? null;
}

export function nativeUnavailableReason(): string {
  return addonStatus().reason;
}

export const nativeBackend: BackendFactory = (onOutcomes) => {
  const mod = loadNative();
  if (!mod) throw new Error(nativeUnavailableReason());
  let handle: unknown = mod.open(onOutcomes);
  const backend: ConnectBackend = {
    name: 'native',
    submit(address, ids, ports, timeoutMs) {
      if (handle === null) return;
      mod.submit(handle, address, ids, ports, Math.max(1, Math.round(timeoutMs)));
    },
    close() {
      if (handle === null) return;
      mod.close(handle);
      handle = null;
    },
  };
  return backend;
};

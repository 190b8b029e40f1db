import { addonLoader } from './addon.js';
import type { BackendFactory, ConnectBackend, OutcomeHandler } from './backend.js';

interface NativeModule {
  open(cb: OutcomeHandler): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, ports: Uint16Array, timeoutMs: number): void;
  close(handle: unknown): void;
}

const load = addonLoader<NativeModule>('portscope_connect.node', 'native backend');

/** The compiled addon (build/Release/portscope_connect.node at the package root), or null with a reason. */
export function loadNative(): NativeModule | null {
  return load().module;
}

export function nativeUnavailableReason(): string {
  return load().reason;
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

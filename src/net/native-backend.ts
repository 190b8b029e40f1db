import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendFactory, ConnectBackend, OutcomeHandler } from './backend.js';

interface NativeModule {
  open(cb: OutcomeHandler): unknown;
  submit(handle: unknown, address: string, ids: Uint32Array, ports: Uint16Array, timeoutMs: number): void;
  close(handle: unknown): void;
}

let loaded: NativeModule | null | undefined;
let loadError = '';

/** The compiled addon (build/Release/portscope_connect.node at the package root), or null with a reason. */
export function loadNative(): NativeModule | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.platform !== 'linux') {
    loadError = `native backend is Linux-only (this is ${process.platform})`;
    return loaded;
  }
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  const file = root ? join(root, 'build', 'Release', 'portscope_connect.node') : '';
  if (!file || !existsSync(file)) {
    loadError = 'native backend not built (npm install builds it with node-gyp)';
    return loaded;
  }
  try {
    loaded = createRequire(import.meta.url)(file) as NativeModule;
  } catch (err) {
    loadError = `native backend failed to load: ${(err as Error).message}`;
  }
  return loaded;
}

export function nativeUnavailableReason(): string {
  loadNative();
  return loadError;
}

function findPackageRoot(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'binding.gyp'))) return d;
    if (dirname(d) === d) return null;
  }
}

export const nativeBackend: BackendFactory = (onOutcomes) => {
  const mod = loadNative();
  if (!mod) throw new Error(loadError);
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

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A compiled addon, or null with the reason it is unavailable (shown by `-d` and `--backend native`). */
export interface AddonLoad<T> {
  module: T | null;
  reason: string;
}

/**
 * Loads `build/Release/<file>` from the package root (the folder with package.json and binding.gyp), once per
 * process. `what` names the addon in the reasons ("native backend", "native UDP prober").
 */
export function addonLoader<T>(file: string, what: string): () => AddonLoad<T> {
  let result: AddonLoad<T> | undefined;
  return () => (result ??= loadAddon<T>(file, what));
}

function loadAddon<T>(file: string, what: string): AddonLoad<T> {
  if (process.platform !== 'linux') return { module: null, reason: `${what} is Linux-only (this is ${process.platform})` };
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  const path = root ? join(root, 'build', 'Release', file) : '';
  if (!path || !existsSync(path)) return { module: null, reason: `${what} not built (npm install builds it with node-gyp)` };
  try {
    return { module: createRequire(import.meta.url)(path) as T, reason: '' };
  } catch (err) {
    return { module: null, reason: `${what} failed to load: ${(err as Error).message}` };
  }
}

function findPackageRoot(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'binding.gyp'))) return d;
    if (dirname(d) === d) return null;
  }
}

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one loader of portscope's one native addon (native/addon.c: `{ connect, udp }`). node-gyp-build picks
 * the file: `build/Release/*.node` when the addon was compiled here, else the prebuilt N-API binary of this
 * platform in `prebuilds/<platform>-<arch>/` (made by prebuildify at `npm pack`). Without either, the
 * connect scan uses the pure-Node backend and UDP the node:dgram one; `addonStatus()` says which and why
 * (`portscope scan -d`, `portscope doctor`).
 */

/** Where the addon in use came from. */
export type AddonSource = 'prebuilt' | 'compiled' | 'none';

export interface AddonStatus {
  /** The connect backend `--backend auto` uses. */
  backend: 'native' | 'node';
  source: AddonSource;
  /** One line for a person: the file in use, or why there is none. */
  reason: string;
  /** The loaded file (absolute), when there is one. */
  path?: string;
}

/** The addon's exports; each half is typed by the backend that uses it. */
export interface AddonModule {
  connect: unknown;
  udp: unknown;
  /** sock_diag reader (sock-diag.ts); absent from addons built before it existed. */
  diag?: unknown;
  /** ICMP echo pinger (icmp-backend.ts, -PE); absent from addons built before it existed. */
  icmp?: unknown;
}

interface Loaded {
  module: AddonModule | null;
  status: AddonStatus;
}

let loaded: Loaded | undefined;

/** The addon (once per process), or null; see addonStatus() for why. */
export function loadAddon(): AddonModule | null {
  return (loaded ??= load()).module;
}

/** Which backend a scan uses, where its addon came from (prebuilt / compiled / none) and why. */
export function addonStatus(): AddonStatus {
  return { ...(loaded ??= load()).status };
}

function none(reason: string): Loaded {
  return { module: null, status: { backend: 'node', source: 'none', reason } };
}

function load(): Loaded {
  if (process.platform !== 'linux') return none(`the native addon is Linux-only (this is ${process.platform})`);
  // The install script's switch (scripts/build-native.mjs) also turns the addon off at run time: the pure-Node
  // paths can then be checked, or used, on a machine that has the addon.
  if (process.env.PORTSCOPE_SKIP_NATIVE === '1') return none('the native addon is turned off (PORTSCOPE_SKIP_NATIVE=1)');
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  if (!root) return none('package root (package.json + binding.gyp) not found');
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    path = nodeGypBuild.resolve(root);
  } catch {
    return none(`no prebuilt addon for ${process.platform}-${process.arch} and none compiled (node scripts/build-native.mjs compiles it)`);
  }
  const rel = relative(root, path);
  const source: AddonSource = rel.startsWith(`prebuilds${sep}`) ? 'prebuilt' : 'compiled';
  let module: AddonModule;
  try {
    module = require(path) as AddonModule;
  } catch (err) {
    return none(`the ${source} addon ${rel} failed to load (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof module !== 'object' || module === null || !module.connect || !module.udp) {
    return none(`${rel} is not portscope's addon (no connect/udp exports; an old build? run node scripts/build-native.mjs --from-source)`);
  }
  const what = source === 'prebuilt' ? 'prebuilt N-API binary' : 'addon compiled from native/';
  return { module, status: { backend: 'native', source, reason: `${what} ${rel}`, path } };
}

function findPackageRoot(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'binding.gyp'))) return d;
    if (dirname(d) === d) return null;
  }
}

#!/usr/bin/env node
// The package's install script. portscope's native addon (Linux) ships prebuilt in prebuilds/linux-x64
// (an N-API binary: one file for Node 20, 22 and 24). When that one loads, nothing is compiled. Otherwise
// the addon is compiled from native/ with node-gyp; when that fails too, portscope uses its pure-Node
// backend (`portscope scan -d` says which and why). So this script never fails an install.
//   node scripts/build-native.mjs [--from-source]   (--from-source: compile even when a prebuild loads)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import { execPath } from 'node:process';
import { fileURLToPath } from 'node:url';
import { findNodeGyp, offlineHeadersEnv } from './native-tools.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function prebuildThatLoads() {
  try {
    process.env.PREBUILDS_ONLY = '1'; // node-gyp-build reads it when first required
    const require = createRequire(import.meta.url);
    const path = require('node-gyp-build').resolve(root);
    require(path);
    return path;
  } catch {
    return null;
  }
}

function main() {
  if (process.platform !== 'linux' || process.env.PORTSCOPE_SKIP_NATIVE === '1') return;
  if (!process.argv.includes('--from-source')) {
    const prebuilt = prebuildThatLoads();
    if (prebuilt) {
      console.log(`portscope: using the prebuilt native addon ${relative(root, prebuilt)} (nothing to compile)`);
      return;
    }
  }
  const gyp = spawnSync(execPath, [findNodeGyp(), 'rebuild'], { cwd: root, stdio: 'inherit', shell: false, env: { ...process.env, ...offlineHeadersEnv() } });
  if (gyp.error || gyp.status !== 0) {
    console.warn('portscope: native addon neither prebuilt for this machine nor compiled; falling back to the (slower) pure-Node backend.');
  }
}

try {
  main();
} catch (err) {
  console.warn(`portscope: native addon setup skipped: ${err instanceof Error ? err.message : String(err)}`);
}

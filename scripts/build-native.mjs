#!/usr/bin/env node
// Builds the optional native connect backend (Linux only). portscope works without it (the pure-Node
// backend is used and `portscope scan -d` says so), so a failed build is a warning, never a failed install.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execPath } from 'node:process';

if (process.platform !== 'linux' || process.env.PORTSCOPE_SKIP_NATIVE === '1') process.exit(0);
const args = ['rebuild'];
// Offline machines keep Node's headers under /usr/include/node; tell node-gyp so it does not download them.
if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node_api.h')) args.push('--nodedir=/usr');
const gyp = spawnSync(execPath, [findNodeGyp(), ...args], { stdio: 'inherit', shell: false });
if (gyp.error || gyp.status !== 0) {
  console.warn('portscope: native connect backend not built; falling back to the (slower) pure-Node backend.');
}

/** npm exports the path of its bundled node-gyp to lifecycle scripts; when run by hand, look beside npm. */
function findNodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const candidates = [];
  try {
    const npmCli = realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());
    candidates.push(join(dirname(dirname(npmCli)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {}
  candidates.push('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
  return candidates.find((c) => existsSync(c)) ?? 'node-gyp';
}

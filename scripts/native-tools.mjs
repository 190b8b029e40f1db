// Shared by build-native.mjs (install) and prebuild.mjs (prepack): where node-gyp is and which Node headers
// to build against without a download.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** npm exports the path of its bundled node-gyp to lifecycle scripts; when run by hand, look beside npm. */
export function findNodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  const candidates = [];
  try {
    const npmCli = realpathSync(spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim());
    candidates.push(join(dirname(dirname(npmCli)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {}
  candidates.push('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
  return candidates.find((c) => existsSync(c)) ?? 'node-gyp';
}

/**
 * Offline machines keep Node's headers under /usr/include/node: point node-gyp there (npm_config_nodedir)
 * so it does not download them. An N-API addon built against any Node's headers runs on every later Node.
 */
export function offlineHeadersEnv() {
  if (process.env.npm_config_nodedir || !existsSync('/usr/include/node/node_api.h')) return {};
  return { npm_config_nodedir: '/usr' };
}

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OptionError } from '../../model/index.js';
import type { InterfaceTable } from '../exposure.js';
import { LocalToolError, run } from '../exec.js';
import type { LinuxView } from './read.js';

/** What netns-reader.js prints: the namespace's view plus that namespace's interface table. */
export interface NetnsView extends LinuxView {
  interfaces: InterfaceTable;
}

/**
 * Reads another network namespace's sockets. Node cannot call setns(2) (it would have to switch every
 * thread of the process, and libuv's threads stay behind), so we start a child in the namespace:
 * `ip netns exec NAME node netns-reader.js`, which reads /proc/net and os.networkInterfaces() from inside
 * and prints JSON (with sock_diag when the api passes its reader: the netlink socket is then opened inside
 * the namespace, so it dumps that namespace's sockets). Process lookup through /proc works from there too
 * (same pid namespace). Needs root, as `ip netns exec` does.
 */
export async function readNetnsView(name: string, reader?: { script: string; args: string[] }): Promise<NetnsView> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..') throw new OptionError(`--netns: invalid namespace name "${name}"`);
  if (process.platform !== 'linux') throw new OptionError('--netns works on Linux only');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new OptionError('--netns needs root (ip netns exec)');
  if (!existsSync(`/var/run/netns/${name}`) && !existsSync(`/run/netns/${name}`)) {
    throw new OptionError(`--netns: no network namespace "${name}" (see ip netns list)`);
  }
  // The caller's reader (api/listening-netns-reader.js: sock_diag, then /proc) or our own (/proc only).
  const script = reader ?? { script: fileURLToPath(new URL('./netns-reader.js', import.meta.url)), args: [] };
  const text = await run('ip', ['netns', 'exec', name, process.execPath, script.script, ...script.args]);
  try {
    return JSON.parse(text) as NetnsView;
  } catch {
    throw new LocalToolError(`--netns ${name}: the reader in the namespace printed no valid JSON`);
  }
}

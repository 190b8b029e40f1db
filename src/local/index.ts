import { networkInterfaces } from 'node:os';
import type { InterfaceTable } from './exposure.js';
import type { RawSocket } from './types.js';

/** Every platform's answer in one shape, before assembly into ListeningSocket. */
export interface LocalView {
  raw: RawSocket[];
  interfaces: InterfaceTable;
  bindV6Only: boolean;
  ownersHidden: boolean;
}

/**
 * The OS-specific reader for this platform (loaded on demand, so a platform's code never runs elsewhere).
 * `netns` is Linux-only and reads another network namespace through a child process.
 */
export async function readLocalView(options: { netns?: string; platform?: NodeJS.Platform } = {}): Promise<LocalView> {
  const platform = options.platform ?? process.platform;
  if (options.netns !== undefined) {
    const { readNetnsView } = await import('./linux/netns.js');
    const v = await readNetnsView(options.netns);
    return { raw: v.sockets, interfaces: v.interfaces, bindV6Only: v.bindV6Only, ownersHidden: v.deniedProcesses > 0 };
  }
  if (platform === 'linux') {
    const { readLinuxView } = await import('./linux/read.js');
    const v = readLinuxView();
    return { raw: v.sockets, interfaces: networkInterfaces(), bindV6Only: v.bindV6Only, ownersHidden: v.deniedProcesses > 0 };
  }
  const notRoot = typeof process.getuid === 'function' && process.getuid() !== 0;
  if (platform === 'darwin') {
    const { readDarwinSockets } = await import('./darwin/read.js');
    return { raw: await readDarwinSockets(), interfaces: networkInterfaces(), bindV6Only: false, ownersHidden: notRoot };
  }
  if (platform === 'win32') {
    const { readWin32Sockets } = await import('./win32/read.js');
    return { raw: await readWin32Sockets(), interfaces: networkInterfaces(), bindV6Only: false, ownersHidden: false };
  }
  const { LocalToolError } = await import('./exec.js');
  throw new LocalToolError(`listening sockets cannot be read on ${platform} (supported: linux, darwin, win32)`);
}

export { detectFirewalls } from './firewalls.js';
export { readProcessExtras, unitFromCgroup } from './linux/process-extras.js';

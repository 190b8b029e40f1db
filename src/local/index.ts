import { networkInterfaces } from 'node:os';
import type { InterfaceTable } from './exposure.js';
import type { RawSocket, SocketSource, SocketSourceName } from './types.js';

/** Every platform's answer in one shape, before assembly into ListeningSocket. */
export interface LocalView {
  raw: RawSocket[];
  interfaces: InterfaceTable;
  bindV6Only: boolean;
  ownersHidden: boolean;
  /** Linux: which reader gave the socket table (sock_diag netlink or /proc/net); absent elsewhere. */
  source?: SocketSourceName;
  /** Linux: why /proc was used although a sock_diag source was offered. */
  fallbackReason?: string;
}

export interface ReadLocalOptions {
  netns?: string;
  platform?: NodeJS.Platform;
  /** Linux: the sock_diag reader to try before /proc (injected by api/, which may load the addon). */
  source?: SocketSource;
  /**
   * Linux --netns: the script the child runs inside the namespace (`ip netns exec NAME node SCRIPT ARGS`);
   * it prints the namespace's view as JSON (api/listening-netns-reader.ts, which can load the addon).
   */
  netnsReader?: { script: string; args: string[] };
}

/**
 * The OS-specific reader for this platform (loaded on demand, so a platform's code never runs elsewhere).
 * `netns` is Linux-only and reads another network namespace through a child process.
 */
export async function readLocalView(options: ReadLocalOptions = {}): Promise<LocalView> {
  const platform = options.platform ?? process.platform;
  if (options.netns !== undefined) {
    const { readNetnsView } = await import('./linux/netns.js');
    const v = await readNetnsView(options.netns, options.netnsReader);
    return linuxLocalView(v, v.interfaces);
  }
  if (platform === 'linux') {
    const { readLinuxView } = await import('./linux/read.js');
    const v = readLinuxView(options.source === undefined ? {} : { source: options.source });
    return linuxLocalView(v, networkInterfaces());
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

function linuxLocalView(v: import('./linux/read.js').LinuxView, interfaces: InterfaceTable): LocalView {
  const view: LocalView = { raw: v.sockets, interfaces, bindV6Only: v.bindV6Only, ownersHidden: v.deniedProcesses > 0, source: v.source };
  if (v.fallbackReason !== undefined) view.fallbackReason = v.fallbackReason;
  return view;
}

export { detectFirewalls } from './firewalls.js';
export { readProcessExtras, unitFromCgroup } from './linux/process-extras.js';
export type { SocketSource, SocketSourceName } from './types.js';

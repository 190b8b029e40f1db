import { startSocketOwners, type OwnersOf } from '../net/sock-diag.js';

/**
 * The early fd walk of one `listening` run (issue 15): the CLI starts it before it loads `listening`'s
 * modules, listeningReport() takes it. It imports only net/sock-diag.js (and the addon loader), so that
 * starting it costs ~1 ms before the walk runs on a libuv worker thread.
 */
let pending: Promise<OwnersOf> | null = null;

/**
 * Starts the walk (Linux, our own network namespace, sock_diag reader): the fd tables belong to the pid
 * namespace, not the network one, but `--netns` reads in a child process, so the walk would be wasted.
 * Harmless when not taken: the walk ends on its own and holds nothing.
 */
export function prefetchListening(options: { netns?: string; source?: string } = {}): void {
  if (pending !== null || process.platform !== 'linux' || options.netns !== undefined || options.source === 'proc') return;
  try {
    pending = startSocketOwners();
  } catch {
    pending = null; // the synchronous walk runs later
  }
  // Not awaited until listeningReport(): a failed walk must not be an unhandled rejection.
  pending?.catch(() => {});
}

/**
 * The started walk (once; null when none was started): resolves to its result, or to null when it failed
 * and the caller must walk again.
 */
export function takePrefetchedOwners(): Promise<OwnersOf | null> | null {
  const p = pending;
  pending = null;
  return p === null ? null : p.catch(() => null);
}

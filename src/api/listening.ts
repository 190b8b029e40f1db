import { fileURLToPath } from 'node:url';
import { assembleSockets } from '../local/assemble.js';
import { filterSockets } from '../local/filter.js';
import { readLocalView, type ReadLocalOptions } from '../local/index.js';
import { LocalToolError } from '../local/exec.js';
import { OptionError, type ListeningFilter, type ListeningSocket } from '../model/index.js';
import type { RawSocket, SocketSource } from '../local/types.js';
import type { OwnersOf } from '../net/sock-diag.js';
import { takePrefetchedOwners } from './listening-prefetch.js';
import { LISTENING_SOURCES, sockDiagSource, type ListeningSourceChoice } from './listening-source.js';

export interface ListeningOptions extends ListeningFilter {
  /** Linux, root: read this network namespace (a name from `ip netns list`) instead of our own. */
  netns?: string;
  /**
   * Linux: where the sockets are read. 'auto' (default): sock_diag netlink through the native addon, /proc
   * when the addon is missing or the kernel refuses; 'sock_diag': only netlink (an error otherwise);
   * 'proc': only /proc/net (no IPV6_V6ONLY: dual-stack is then inferred, docs/listening.md).
   */
  source?: ListeningSourceChoice;
}

/** The sockets and how they were read. */
export interface ListeningReport {
  sockets: ListeningSocket[];
  /** Linux: 'sock_diag' or 'proc'; absent on macOS and Windows (lsof, netstat). */
  source?: 'sock_diag' | 'proc';
  /** Why /proc was used when sock_diag was tried (the addon is missing, EPERM…). */
  fallbackReason?: string;
}

/**
 * This machine's listening TCP sockets and bound UDP sockets, with the processes holding them, their
 * exposure and service names; sorted by protocol, port, family, address. See docs/listening.md.
 */
export async function listening(options: ListeningOptions = {}): Promise<ListeningSocket[]> {
  return (await listeningReport(options)).sockets;
}

/** listening(), plus which reader gave the sockets (the CLI writes it into JSON and XML headers). */
export async function listeningReport(options: ListeningOptions = {}): Promise<ListeningReport> {
  const choice = options.source ?? 'auto';
  if (!LISTENING_SOURCES.includes(choice)) throw new OptionError(`listening source (PORTSCOPE_LISTENING_SOURCE or the source option): "${String(choice)}" is not one of ${LISTENING_SOURCES.join(', ')}`);
  const read: ReadLocalOptions = {};
  // A walk the CLI started early (prefetchListening) is taken in any case, so that a later run walks anew.
  const walk = takePrefetchedOwners();
  // Started now, so that the JSON of the service table is read while the walk runs (the ~12k entries are
  // loaded only by callers that list sockets: services.js alone, not the top-ports lists of ports/index.js).
  const services = import('../ports/services.js');
  if (choice !== 'proc') read.source = options.netns === undefined ? await withEarlyWalk(walk) : sockDiagSource;
  if (options.netns !== undefined) {
    read.netns = options.netns;
    read.netnsReader = { script: fileURLToPath(new URL('./listening-netns-reader.js', import.meta.url)), args: [choice === 'proc' ? 'proc' : 'auto'] };
  }
  const view = await readLocalView(read);
  if (choice === 'sock_diag' && view.source === 'proc') throw new LocalToolError(`sockets could not be read over sock_diag (${view.fallbackReason ?? 'unknown reason'})`);
  const { serviceName } = await services;
  const sockets = assembleSockets(view.raw, {
    interfaces: view.interfaces,
    bindV6Only: view.bindV6Only,
    ownersHidden: view.ownersHidden,
    serviceName,
    ...(options.netns === undefined ? {} : { netns: options.netns }),
  });
  const report: ListeningReport = { sockets: filterSockets(sockets, options) };
  if (view.source !== undefined) report.source = view.source;
  if (view.fallbackReason !== undefined) report.fallbackReason = view.fallbackReason;
  return report;
}

/**
 * The sock_diag source, with the early walk's holders when one was started: the socket dump is made while
 * the walk still runs on its worker thread (one core dumps, the other walks), then the walk is awaited.
 * A dump that throws is rethrown by sockets(), where local/ falls back to /proc as before.
 */
async function withEarlyWalk(walk: Promise<OwnersOf | null> | null): Promise<SocketSource> {
  if (walk === null) return sockDiagSource;
  let rows: RawSocket[] | null = null;
  let failure: unknown;
  try {
    rows = sockDiagSource.sockets();
  } catch (err) {
    failure = err;
  }
  const owners = await walk;
  const sockets = (): RawSocket[] | null => {
    if (failure !== undefined) throw failure;
    return rows;
  };
  return owners === null ? { ...sockDiagSource, sockets } : { ...sockDiagSource, sockets, owners };
}

import { assembleSockets } from '../local/assemble.js';
import { filterSockets } from '../local/filter.js';
import { readLocalView } from '../local/index.js';
import type { ListeningFilter, ListeningSocket } from '../model/index.js';

export interface ListeningOptions extends ListeningFilter {
  /** Linux, root: read this network namespace (a name from `ip netns list`) instead of our own. */
  netns?: string;
}

/**
 * This machine's listening TCP sockets and bound UDP sockets, with the processes holding them, their
 * exposure and service names; sorted by protocol, port, family, address. See docs/listening.md.
 */
export async function listening(options: ListeningOptions = {}): Promise<ListeningSocket[]> {
  const view = await readLocalView(options.netns === undefined ? {} : { netns: options.netns });
  // The service table (~12k entries) is loaded only by callers that list sockets.
  const { serviceName } = await import('../ports/index.js');
  const sockets = assembleSockets(view.raw, {
    interfaces: view.interfaces,
    bindV6Only: view.bindV6Only,
    ownersHidden: view.ownersHidden,
    serviceName,
    ...(options.netns === undefined ? {} : { netns: options.netns }),
  });
  return filterSockets(sockets, options);
}

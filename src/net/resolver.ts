import { lookup } from 'node:dns/promises';
import { TargetSpecError, type AddressFamily, type Resolver } from '../model/index.js';

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), as the target layer needs it. */
export const systemResolver: Resolver = {
  async lookup(name) {
    const all = await lookup(name, { all: true, verbatim: true });
    return all.map((a) => ({ address: a.address, family: a.family as AddressFamily }));
  },
};

/**
 * --dry-run's resolver: "send nothing" includes name lookups (getaddrinfo may send DNS queries), so every
 * name is refused with a message saying why; addresses need no resolver.
 */
export const dryRunResolver: Resolver = {
  lookup(name) {
    return Promise.reject(new TargetSpecError(`${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} not resolved: --dry-run sends nothing, not even name lookups (give addresses)`));
  },
};

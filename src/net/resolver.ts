import { lookup } from 'node:dns/promises';
import type { AddressFamily, Resolver } from '../model/index.js';

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), as the target layer needs it. */
export const systemResolver: Resolver = {
  async lookup(name) {
    const all = await lookup(name, { all: true, verbatim: true });
    return all.map((a) => ({ address: a.address, family: a.family as AddressFamily }));
  },
};

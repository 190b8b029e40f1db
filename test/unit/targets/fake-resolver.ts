import type { AddressFamily, Resolver } from '../../../src/model/index.js';

/** A resolver from a fixed table: no DNS in unit tests. Unknown names fail like getaddrinfo's ENOTFOUND. */
export function fakeResolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async lookup(name) {
      calls.push(name);
      const list = table[name.toLowerCase()];
      if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as AddressFamily }));
    },
  };
}

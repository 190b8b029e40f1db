/** Memcached text protocol (memcached's doc/protocol.txt): "version\r\n" → "VERSION <version>\r\n". */
import { regexMatcher } from '../match-helpers.js';
import type { ServiceModule } from '../types.js';

export const memcached: ServiceModule = {
  name: 'memcached',
  probes: [{ name: 'MemcachedVersion', rarity: 3, ports: [11211], payload: Buffer.from('version\r\n'), complete: (d) => d.includes(0x0a) }],
  matchers: [regexMatcher({ probes: ['MemcachedVersion'], pattern: /^VERSION ([\d.]+[\w.-]*)\r\n/, name: 'memcached', product: 'Memcached', version: '$1', cpe: ['cpe:/a:memcached:memcached:$v'] })],
};

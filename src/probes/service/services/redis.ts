/**
 * Redis: RESP (https://redis.io/docs/latest/develop/reference/protocol-spec/). INFO server answers a bulk
 * string with `redis_version:`; a server that wants a password answers `-NOAUTH`, protected mode `-DENIED`.
 */
import { build } from '../match-helpers.js';
import type { ServiceModule } from '../types.js';

const CPE = ['cpe:/a:redis:redis:$v'];

export const redis: ServiceModule = {
  name: 'redis',
  probes: [{ name: 'RedisInfo', rarity: 2, ports: [6379, 6380, 16379, 26379], payload: Buffer.from('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n') }],
  matchers: [
    {
      probes: ['RedisInfo'],
      match(data) {
        const text = data.toString('latin1');
        if (/^-(?:NOAUTH|DENIED|WRONGPASS|ERR)/.test(text)) {
          const why = /^-(NOAUTH|DENIED)/.exec(text)?.[1];
          return build('redis', 'Redis key-value store', undefined, why === 'NOAUTH' ? 'authentication required' : why === 'DENIED' ? 'protected mode' : undefined, CPE);
        }
        if (!/^\$\d+\r\n/.test(text)) return null;
        const field = (k: string): string | undefined => new RegExp(`^${k}:([^\\r\\n]*)`, 'm').exec(text)?.[1];
        const valkey = field('valkey_version');
        if (valkey) return build('redis', 'Valkey', valkey, field('redis_mode'));
        const version = field('redis_version');
        if (!version) return null;
        const mode = field('redis_mode');
        return build('redis', 'Redis key-value store', version, mode && mode !== 'standalone' ? mode : undefined, CPE);
      },
    },
  ],
};

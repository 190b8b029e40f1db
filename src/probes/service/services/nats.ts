/** NATS speaks first: "INFO {json} \r\n" with server_name, version, go (NATS client protocol docs). */
import { build } from '../match-helpers.js';
import { NULL_PROBE, type ServiceModule } from '../types.js';

export const nats: ServiceModule = {
  name: 'nats',
  matchers: [
    {
      probes: [NULL_PROBE],
      match(data) {
        // Servers write "INFO {…} \r\n": a space before the line end (nats-server's server.go).
        const m = /^INFO (\{[^\r\n]*\}) *\r?\n/.exec(data.toString('utf8'));
        if (!m) return null;
        let info: Record<string, unknown>;
        try {
          info = JSON.parse(m[1]!) as Record<string, unknown>;
        } catch {
          return null;
        }
        if (typeof info.server_id !== 'string') return null;
        const go = typeof info.go === 'string' ? info.go : undefined;
        return build('nats', 'NATS Server', typeof info.version === 'string' ? info.version : undefined, go, ['cpe:/a:linuxfoundation:nats-server:$v']);
      },
    },
  ],
};

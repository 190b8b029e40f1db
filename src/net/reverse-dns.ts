import { Resolver } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { setMaxListeners } from 'node:events';

/** PTR lookups of a scan: bounded in number at once and in time, and cancellable as a whole. */
export interface ReverseDns {
  /** The address's PTR name, or undefined (no name, an error, the timeout, or cancelled). */
  lookup(address: string): Promise<string | undefined>;
  /** Give up every lookup queued or in flight: each resolves undefined at once. */
  cancel(): void;
}

export interface ReverseDnsOptions {
  /** Lookups in flight at once (default 16); the rest wait their turn. */
  concurrency?: number;
  /** Per query attempt, ms (c-ares `timeout`; default 1000). */
  timeoutMs?: number;
  /** Attempts per name server (c-ares `tries`; default 2). */
  tries?: number;
  /** Name servers to ask instead of /etc/resolv.conf's (tests point these at a lab resolver). */
  servers?: string[];
  /** The hosts file read first (default /etc/hosts; '' = none). */
  hostsFile?: string;
}

/**
 * Reverse DNS over c-ares (dns.Resolver), not getnameinfo: getnameinfo blocks one of libuv's four pool
 * threads per lookup and cannot be cancelled, so slow name servers used to hold the pool (and every file
 * read behind it) long after a lookup's own deadline. c-ares asks /etc/resolv.conf's servers, as nmap's own
 * parallel reverse resolver does (nmap(1), "--system-dns"); like nmap's, it reads /etc/hosts first.
 */
export function createReverseDns(options: ReverseDnsOptions = {}): ReverseDns {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 1000, tries: options.tries ?? 2 });
  if (options.servers) resolver.setServers(options.servers);
  const limit = Math.max(1, options.concurrency ?? 16);
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const hostsFile = options.hostsFile ?? '/etc/hosts';
  const hosts = hostsFile ? readHosts(hostsFile) : Promise.resolve(new Map<string, string>());
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    if (active >= limit || stop.signal.aborted) return;
    const run = queue.shift();
    if (run) run();
  };
  return {
    lookup(address) {
      if (stop.signal.aborted) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        let settled = false;
        const settle = (name: string | undefined): void => {
          if (settled) return;
          settled = true;
          stop.signal.removeEventListener('abort', onCancel);
          resolve(name);
        };
        const onCancel = (): void => settle(undefined);
        stop.signal.addEventListener('abort', onCancel, { once: true });
        queue.push(() => {
          active++;
          hosts
            .then((h) => h.get(address) ?? resolver.reverse(address).then((names) => names.find((n) => n && n !== address)))
            .then(settle, () => settle(undefined))
            .finally(() => {
              active--;
              next();
            });
        });
        next();
      });
    },
    cancel() {
      if (stop.signal.aborted) return;
      stop.abort();
      queue.length = 0;
      resolver.cancel();
    },
  };
}

/** address → first name of a hosts file (hosts(5)); an unreadable file is an empty one. */
async function readHosts(path: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    const [address, name] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && name && isIP(address) !== 0 && !map.has(address)) map.set(address, name);
  }
  return map;
}

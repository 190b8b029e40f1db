import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { OptionError } from '../model/index.js';

/**
 * -S ADDR[,ADDR…]: check that every address is an IP literal assigned to this host (os.networkInterfaces()),
 * all of one family, and return them in order without repeats. nmap's -S takes one address; we take a list
 * because a Linux target rate-limits its ICMP errors per destination, that is per source address we send
 * from, so k addresses give k buckets (docs/udp.md, "Several source addresses").
 */
export function checkSourceAddresses(list: readonly string[]): string[] {
  const local = new Set<string>();
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) local.add(canonical(a.address));
  const out: string[] = [];
  let family = 0;
  for (const raw of list) {
    const addr = raw.trim();
    const f = isIP(addr);
    if (f === 0) throw new OptionError(`-S: "${raw}" is not an IP address`);
    if (family !== 0 && f !== family) throw new OptionError(`-S: "${addr}" is IPv${f} but "${out[0]!}" is IPv${family}: give addresses of one family`);
    family = f;
    if (!local.has(canonical(addr))) throw new OptionError(`-S: ${addr} is not an address of this host (see ip addr)`);
    if (!out.includes(addr)) out.push(addr);
  }
  if (out.length === 0) throw new OptionError('-S needs at least one address');
  return out;
}

/** IPv6 text has many spellings (::1 vs 0:0::1); compare the expanded form. */
function canonical(addr: string): string {
  if (isIP(addr) !== 6) return addr;
  try {
    return new URL(`http://[${addr}]/`).hostname;
  } catch {
    return addr.toLowerCase();
  }
}

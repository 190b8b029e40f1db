/**
 * The many-host lab (issue 13): one target namespace carrying 1,000+ documentation addresses behind a
 * gateway, plus one host reachable only on the local link. Built on Lab (scanner ns + bridge):
 *
 *   target 0 (192.0.2.2) holds 198.51.100.1-LIVE4 and 203.0.113.1-LIVE4 (IPv4) and 2001:db8:1::1-LIVE6
 *   (IPv6) on its loopback; the scanner routes 198.51.100.0/24, 203.0.113.0/24 and 2001:db8:1::/64 via it.
 *   The other addresses of those ranges are dead: the target drops packets for them without an answer. Target 1 (192.0.2.3 / 2001:db8::3) is an on-link host that drops the ping ports.
 *
 * Ports (MANY_PORTS), one listener with a 4096-deep accept queue for all addresses, and per-address rules
 * in the target's own table `inet many` (never touching the Lab's table): see `manyTruth`.
 * A named counter `syns` counts SYNs arriving at target 0; `rateProbe()` adds token buckets that split the
 * SYNs into within/over a given rate, so a test can check a send rate with the kernel's clock.
 */
import { createLab, type Lab } from './lab.js';
import { nsRun } from './namespaces.js';

export const MANY_PORTS = [22, 80, 443, 3306, 8080] as const;
const LIVE4 = 200;
const LIVE6 = 700;

export interface ManyHostLab {
  lab: Lab;
  /** Every live address (IPv4 and IPv6) of target 0, plus dead ones in the same ranges. */
  live: string[];
  dead: string[];
  /** The on-link host (reachable only on the bridge), IPv4 and IPv6. */
  onLink: string[];
  /** Target specs covering all of them (CIDR / ranges). */
  specs: string[];
  /** SYNs target 0 received since the last reset. */
  syns(): Promise<number>;
  /** Add/replace token buckets at `lo` and `hi` packets/s (burst `burst`); returns counters reader. */
  rateProbe(lo: number, hi: number, burst: number): Promise<() => Promise<{ total: number; overLo: number; overHi: number }>>;
  close(): Promise<void>;
}

/** Index used by the truth: last octet (IPv4) or last 16 bits (IPv6). */
function indexOf(address: string): number {
  return address.includes(':') ? parseInt(address.split(':').pop()!, 16) : Number(address.split('.').pop());
}

/** Expected state of one port of one live many-host address (connect scan, ICMP unused). */
export function manyTruth(address: string, port: number): 'open' | 'closed' | 'filtered' {
  const i = indexOf(address);
  switch (port) {
    case 22:
      return 'open';
    case 80:
      return i % 3 === 0 ? 'filtered' : 'open';
    case 443:
      return 'closed';
    case 3306:
      return 'filtered';
    case 8080:
      return i % 5 === 0 ? 'closed' : 'open';
    default:
      return 'closed';
  }
}

export async function createManyHostLab(): Promise<ManyHostLab> {
  const lab = await createLab({ targets: 2, icmpRateLimit: 'off' });
  try {
    const ns = lab.targets[0]!.ns;
    const live: string[] = [];
    const dead: string[] = [];
    const batch: string[] = [];
    for (const net of ['198.51.100', '203.0.113']) {
      for (let i = 0; i <= 255; i++) {
        const a = `${net}.${i}`;
        if (i >= 1 && i <= LIVE4) {
          live.push(a);
          batch.push(`addr add ${a}/32 dev lo`);
        } else dead.push(a);
      }
    }
    for (let i = 0; i <= 0x3ff; i++) {
      const a = i === 0 ? '2001:db8:1::' : `2001:db8:1::${i.toString(16)}`;
      if (i >= 1 && i <= LIVE6) {
        live.push(a);
        batch.push(`addr add ${a}/128 dev lo nodad`);
      } else dead.push(a);
    }
    await nsRun(ns, 'ip', ['-batch', '-'], batch.join('\n') + '\n');
    await nsRun(lab.scannerNs, 'ip', ['-batch', '-'], ['route add 198.51.100.0/24 via 192.0.2.2', 'route add 203.0.113.0/24 via 192.0.2.2', 'route add 2001:db8:1::/64 via 2001:db8::2'].join('\n') + '\n');
    // The on-link host drops the ping ports: only the neighbour table proves it alive.
    await lab.setFirewall({ drop: [80, 443] }, 1);
    await nsRun(ns, 'nft', ['-f', '-'], manyRuleset(live));
    await lab.listen([22, 80, 8080], { target: 0, family: 'both' });
    const onLink = [lab.targets[1]!.v4, lab.targets[1]!.v6];
    return {
      lab,
      live,
      dead,
      onLink,
      specs: ['198.51.100.0/24', '203.0.113.0/24', '2001:db8:1::/118', ...onLink],
      syns: async () => readCounter(ns, 'syns'),
      rateProbe: async (lo, hi, burst) => {
        await nsRun(ns, 'nft', ['-f', '-'], rateRules(lo, hi, burst));
        return async () => ({ total: await readCounter(ns, 'rate_total'), overLo: await readCounter(ns, 'over_lo'), overHi: await readCounter(ns, 'over_hi') });
      },
      close: () => lab.close(),
    };
  } catch (err) {
    await lab.close();
    throw err;
  }
}

function manyRuleset(live: string[]): string {
  const pick = (f: (i: number) => boolean, v6: boolean): string => live.filter((a) => a.includes(':') === v6 && f(indexOf(a))).join(', ') || (v6 ? '::' : '0.0.0.0');
  const drop80 = (i: number): boolean => i % 3 === 0;
  const reset8080 = (i: number): boolean => i % 5 === 0;
  return [
    'table inet many',
    'delete table inet many',
    'table inet many {',
    '  counter syns { }',
    `  set drop80_4 { type ipv4_addr; elements = { ${pick(drop80, false)} } }`,
    `  set drop80_6 { type ipv6_addr; elements = { ${pick(drop80, true)} } }`,
    `  set reset8080_4 { type ipv4_addr; elements = { ${pick(reset8080, false)} } }`,
    `  set reset8080_6 { type ipv6_addr; elements = { ${pick(reset8080, true)} } }`,
    // Dead addresses stay silent (no ICMP "no route" from a target that does not forward), as a dead host.
    '  chain pre {',
    '    type filter hook prerouting priority -150; policy accept;',
    '    ip daddr { 198.51.100.0/24, 203.0.113.0/24 } fib daddr type != local drop',
    '    ip6 daddr 2001:db8:1::/64 fib daddr type != local drop',
    '  }',
    '  chain input {',
    '    type filter hook input priority -10; policy accept;',
    '    tcp flags & (syn | ack) == syn counter name "syns"',
    '    tcp dport 3306 drop',
    '    ip daddr @drop80_4 tcp dport 80 drop',
    '    ip6 daddr @drop80_6 tcp dport 80 drop',
    '    ip daddr @reset8080_4 tcp dport 8080 reject with tcp reset',
    '    ip6 daddr @reset8080_6 tcp dport 8080 reject with tcp reset',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** SYNs split by two token buckets: over_lo counts SYNs above `lo`/s, over_hi above `hi`/s. */
function rateRules(lo: number, hi: number, burst: number): string {
  return [
    'table inet manyrate',
    'delete table inet manyrate',
    'table inet manyrate {',
    '  counter rate_total { }',
    '  counter over_lo { }',
    '  counter over_hi { }',
    '  chain bucket_lo {',
    `    limit rate over ${Math.round(lo)}/second burst ${burst} packets counter name "over_lo"`,
    '  }',
    '  chain bucket_hi {',
    `    limit rate over ${Math.round(hi)}/second burst ${burst} packets counter name "over_hi"`,
    '  }',
    '  chain input {',
    '    type filter hook input priority -20; policy accept;',
    '    tcp flags & (syn | ack) == syn counter name "rate_total" jump bucket_lo',
    '    tcp flags & (syn | ack) == syn jump bucket_hi',
    '  }',
    '}',
    '',
  ].join('\n');
}

async function readCounter(ns: string, name: string): Promise<number> {
  const table = name === 'syns' ? 'many' : 'manyrate';
  const out = await nsRun(ns, 'nft', ['-j', 'list', 'counter', 'inet', table, name]);
  const doc = JSON.parse(out) as { nftables: { counter?: { packets: number } }[] };
  return doc.nftables.find((e) => e.counter)?.counter?.packets ?? 0;
}

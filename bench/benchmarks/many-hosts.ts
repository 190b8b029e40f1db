import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import type { StateMap } from '../lib/states.js';
import { createManyHostLab, manyTruth, MANY_PORTS } from '../../test/helpers/netlab/index.js';

/**
 * Issue 13's many-host bar: the many-host lab (1,536 documentation addresses behind a gateway, 1,100 live,
 * plus one on-link host, IPv4 and IPv6) × 5 ports with DEFAULT host discovery, portscope vs nmap -sT -T4
 * (root: nmap's default discovery is ICMP echo + SYN 443 + ACK 80 + timestamp, ARP on the link). nmap
 * takes one family per run, so its contender is two runs (IPv4, then -6) timed together. States are keyed
 * host-index·65536 + port, with port 0 = the host's up/down status; both tools are checked against truth.
 */
const PORTS = MANY_PORTS.join(',');

function keyed(addresses: readonly string[]): { index: Map<string, number>; requested: number[] } {
  const index = new Map(addresses.map((a, i) => [a, i]));
  const requested: number[] = [];
  for (let i = 0; i < addresses.length; i++) for (const p of [0, ...MANY_PORTS]) requested.push(i * 65536 + p);
  return { index, requested };
}

/** Every `<host>` of one or more concatenated nmap XML documents: status, and port states of up hosts. */
function statesFromManyXml(xml: string, index: Map<string, number>): StateMap {
  const states: StateMap = new Map();
  for (const i of index.values()) states.set(i * 65536, 'down');
  for (const m of xml.matchAll(/<host[\s>][\s\S]*?<\/host>/g)) {
    const block = m[0];
    const addr = /<address addr="([^"]+)" addrtype="ipv[46]"/.exec(block)?.[1];
    const i = addr === undefined ? undefined : index.get(addr);
    if (i === undefined) continue;
    const up = /<status state="up"/.test(block);
    states.set(i * 65536, up ? 'up' : 'down');
    if (!up) continue;
    for (const p of block.matchAll(/<port\s[^>]*portid="(\d+)"[^>]*>\s*<state\s[^>]*state="([^"]+)"/g)) states.set(i * 65536 + Number(p[1]), p[2]!);
    for (const e of block.matchAll(/<extraports\s[^>]*state="([^"]+)"[^>]*>([\s\S]*?)<\/extraports>/g)) {
      for (const r of e[2]!.matchAll(/<extrareasons\s[^>]*ports="([^"]*)"/g)) {
        for (const part of r[1]!.split(',')) {
          const [a, b] = part.split('-').map(Number);
          for (let p = a!; p <= (b ?? a!); p++) states.set(i * 65536 + p, e[1]!);
        }
      }
      // nmap folds without listing ports when only one state is folded: the unlisted requested ports.
      if (!/<extrareasons\s[^>]*ports=/.test(e[2]!)) for (const p of MANY_PORTS) if (!states.has(i * 65536 + p)) states.set(i * 65536 + p, e[1]!);
    }
  }
  return states;
}

export const manyHosts: Benchmark = {
  name: 'many-hosts',
  description: 'many-host lab (1,538 addresses, 1,102 live, IPv4+IPv6) × 5 ports, default host discovery: portscope vs nmap -sT -T4',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const many = await createManyHostLab();
    try {
      const addresses = [...many.live, ...many.dead, ...many.onLink];
      const { index, requested } = keyed(addresses);
      const truth: StateMap = new Map();
      for (const a of addresses) {
        const i = index.get(a)!;
        const up = !many.dead.includes(a);
        truth.set(i * 65536, up ? 'up' : 'down');
        if (!up) continue;
        // The on-link host drops 80 and 443 (its ping ports) and has no listener.
        for (const p of MANY_PORTS) truth.set(i * 65536 + p, many.onLink.includes(a) ? (p === 80 || p === 443 ? 'filtered' : 'closed') : manyTruth(a, p));
      }
      const parse = (o: { stdout: string }): StateMap => statesFromManyXml(o.stdout, index);
      const v4 = many.specs.filter((s) => !s.includes(':'));
      const v6 = many.specs.filter((s) => s.includes(':'));
      const ps = portscopeCmd(ctx, ['-d', '-n', '-p', PORTS, '-oX', '-', ...many.specs]);
      const nmapLine = `nmap -sT -T4 -n -p ${PORTS} -oX - ${v4.join(' ')} && nmap -6 -sT -T4 -n -p ${PORTS} -oX - ${v6.join(' ')}`;
      const contenders: Contender[] = [
        { label: 'portscope', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: many.lab.scannerNs, timeoutMs: 300_000 }, parse },
        { label: 'nmap -sT -T4', tool: 'nmap', cmd: 'sh', args: ['-c', nmapLine], opts: { netns: many.lab.scannerNs, timeoutMs: 600_000 }, parse },
      ];
      const sbs = await sideBySide(contenders, ctx.n, truth, requested, ctx.log);
      const ratio = sbs.ratios[0]?.ratio ?? Infinity;
      const agree = sbs.agreement[0];
      return {
        name: this.name,
        description: this.description,
        ports: MANY_PORTS.length,
        ...sbs,
        checks: [
          { what: `portscope median wall time ≤ 0.5 × nmap -sT -T4 (measured ${ratio.toFixed(3)})`, pass: ratio <= 0.5 },
          { what: 'portscope: every host status and port state equals the truth in every run', pass: sbs.contenders[0]!.misclassifiedMax === 0 },
          { what: `same hosts up and same port states as nmap (${agree?.differing ?? '?'} differ)`, pass: agree?.differing === 0 },
        ],
        notes: [`${addresses.length} addresses: ${many.live.length} live behind the gateway, ${many.dead.length} dead, ${many.onLink.length} on-link (drops 80/443)`, `states keyed host·65536+port; port 0 = host up/down`],
      };
    } finally {
      await many.close();
    }
  },
};

/**
 * -sn -PE on the same lab (issue 13, ICMP echo): portscope's echo (raw socket as root here, or a ping
 * socket) against nmap -sn -PE (raw, plus ARP/ND on the link as root). Only up/down is compared (port 0).
 */
export const manyHostsEcho: Benchmark = {
  name: 'many-hosts-echo',
  description: 'many-host lab (1,538 addresses, 1,102 live, IPv4+IPv6), -sn -PE: portscope vs nmap -sn -PE -T4',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const many = await createManyHostLab();
    try {
      const addresses = [...many.live, ...many.dead, ...many.onLink];
      const index = new Map(addresses.map((a, i) => [a, i]));
      const requested = addresses.map((_, i) => i * 65536);
      const truth: StateMap = new Map(addresses.map((a, i) => [i * 65536, many.dead.includes(a) ? 'down' : 'up']));
      const parse = (o: { stdout: string }): StateMap => {
        const all = statesFromManyXml(o.stdout, index);
        return new Map(requested.map((k) => [k, all.get(k) ?? 'down']));
      };
      const v4 = many.specs.filter((s) => !s.includes(':'));
      const v6 = many.specs.filter((s) => s.includes(':'));
      const ps = portscopeCmd(ctx, ['-d', '-n', '-sn', '-PE', '-oX', '-', ...many.specs]);
      const nmapLine = `nmap -sn -PE -T4 -n -oX - ${v4.join(' ')} && nmap -6 -sn -PE -T4 -n -oX - ${v6.join(' ')}`;
      const contenders: Contender[] = [
        { label: 'portscope -sn -PE', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: many.lab.scannerNs, timeoutMs: 300_000 }, parse },
        { label: 'nmap -sn -PE -T4', tool: 'nmap', cmd: 'sh', args: ['-c', nmapLine], opts: { netns: many.lab.scannerNs, timeoutMs: 600_000 }, parse },
      ];
      const sbs = await sideBySide(contenders, ctx.n, truth, requested, ctx.log);
      const agree = sbs.agreement[0];
      return {
        name: this.name,
        description: this.description,
        ports: 0,
        ...sbs,
        checks: [
          { what: 'portscope: every host up/down equals the truth in every run', pass: sbs.contenders[0]!.misclassifiedMax === 0 },
          { what: `same hosts up as nmap (${agree?.differing ?? '?'} differ)`, pass: agree?.differing === 0 },
        ],
        notes: [`${addresses.length} addresses: ${many.live.length} live (answer echo), ${many.dead.length} dead, ${many.onLink.length} on-link`, 'states keyed host·65536; port 0 = host up/down'],
      };
    } finally {
      await many.close();
    }
  },
};

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab } from '../../test/helpers/netlab/index.js';
import { planPorts, startUdpTarget, udpPlan, udpTruth } from '../../test/lab/udp-lab.js';
import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import { countStates, statesFromXml, type StateMap } from '../lib/states.js';

/** Linux's per-destination ICMP bucket holds 6 tokens (net/ipv4/inetpeer.c XRLIM_BURST_FACTOR). */
const BURST = 6;

/** Scanner addresses of the -S variant: the target keeps one ICMP bucket per address it answers. */
const SOURCES4 = ['192.0.2.1', '192.0.2.11', '192.0.2.12', '192.0.2.13'];

/**
 * Issue 5's benchmark: 212 UDP ports of one lab host (real dnsmasq, chrony, snmpd, echo, drops,
 * admin-prohibited rejects, 198 - 14 closed ports) under the target's default ICMP rate limit, portscope
 * -sU against nmap -sU -T4. The floor is what the rate limit alone costs: every ICMP answer after the
 * first burst waits for one refill (net.ipv4.icmp_ratelimit ms). The `sources` variant gives portscope
 * -S with several scanner addresses (nmap keeps its one): k buckets, so the floor divides by k.
 */
function udpLabBenchmark(name: string, sources: string[]): Benchmark {
  const k = Math.max(1, sources.length);
  return {
    name,
    description:
      '212 UDP ports on 192.0.2.2 (dnsmasq, chrony, snmpd, echo, drops, admin-prohibited, closed) under the default ICMP rate limit: portscope -sU vs nmap -sU -T4' +
      (sources.length > 0 ? `; portscope -S with ${k} source addresses, nmap with 1` : ''),
    async run(ctx: BenchContext): Promise<BenchResult> {
      const plan = udpPlan(0);
      plan.closed = Array.from({ length: 212 - planPorts(plan).length }, (_, i) => 20000 + i);
      const ports = planPorts(plan);
      const lab = await createLab({ icmpRateLimit: 'kernel-default', scannerAddresses: sources.slice(1) });
      const dir = mkdtempSync(join(tmpdir(), 'portscope-udp-bench-'));
      try {
        await startUdpTarget(lab, dir, plan);
        const rl = await lab.runInTarget(0, 'sysctl', ['-n', 'net.ipv4.icmp_ratelimit']);
        const refillMs = Number(rl.stdout.trim()) || 1000;
        const icmpPorts = plan.closed.length + plan.adminProhibited.length;
        const floorMs = (Math.max(0, icmpPorts - BURST * k) * refillMs) / k;
        const nmapFloorMs = Math.max(0, icmpPorts - BURST) * refillMs;
        const truth: StateMap = new Map([...udpTruth(plan)].map(([p, t]) => [p, t.state]));
        const xml = (o: { stdout: string }): StateMap => statesFromXml(o.stdout, ports);
        const spec = ports.join(',');
        const ps = portscopeCmd(ctx, ['-sU', '-d', ...(sources.length > 0 ? ['-S', sources.join(',')] : []), '-p', spec, '-n', '-Pn', '-oX', '-', lab.target.v4]);
        const contenders: Contender[] = [
          { label: sources.length > 0 ? `portscope -sU -S (${k} addresses)` : 'portscope -sU', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: lab.scannerNs, timeoutMs: 900_000 }, parse: xml },
          { label: 'nmap -sU -T4', tool: 'nmap', cmd: 'nmap', args: ['-sU', '-p', spec, '-T4', '-n', '-Pn', '-oX', '-', lab.target.v4], opts: { netns: lab.scannerNs, timeoutMs: 900_000 }, parse: xml },
        ];
        const sbs = await sideBySide(contenders, ctx.n, truth, ports, ctx.log);
        const ratio = sbs.ratios[0]?.ratio ?? Infinity;
        const psMedian = sbs.contenders[0]!.medianMs;
        return {
          name,
          description: this.description,
          ports: ports.length,
          truthCounts: countStates(truth, ports),
          ...sbs,
          checks: [
            { what: 'portscope misclassifies no port in any run', pass: sbs.contenders[0]!.misclassifiedMax === 0 },
            { what: `portscope median wall time < nmap -sU -T4 (measured ratio ${ratio.toFixed(3)})`, pass: ratio < 1 },
            { what: `portscope within 1.15 x the ICMP rate-limit floor of ${(floorMs / 1000).toFixed(0)} s (measured ${(psMedian / floorMs).toFixed(3)})`, pass: psMedian <= floorMs * 1.15 },
          ],
          notes: [
            `floor: ${icmpPorts} ports answer with ICMP; after a burst of ${BURST}, one per net.ipv4.icmp_ratelimit = ${refillMs} ms` +
              (k > 1 ? ` per source address: portscope with ${k} addresses ${(floorMs / 1000).toFixed(0)} s, nmap with 1 ${(nmapFloorMs / 1000).toFixed(0)} s` : `: ${(floorMs / 1000).toFixed(0)} s`),
            `services: dnsmasq ${plan.dns}, chrony ${plan.ntp ?? 'absent'}, snmpd ${plan.snmp ?? 'absent'}, echo ${plan.echo.join(',')}; drop ${plan.drop.join(',')}; admin-prohibited ${plan.adminProhibited.join(',')}`,
          ],
        };
      } finally {
        await lab.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const udpLab = udpLabBenchmark('udp-lab', []);
/** Same target; portscope sends from four scanner addresses (-S), nmap from its one. */
export const udpLabSources4 = udpLabBenchmark('udp-lab-sources4', SOURCES4);

import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { openLab } from '../lib/lab.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import { countStates, range, statesFromXml, type StateMap } from '../lib/states.js';

const ALL = range(1, 65535);
/** Listener ports: a well-known one, one below and one inside the default ephemeral range (32768-60999). */
const LISTEN = [22, 8080, 45678];

export const loopbackAll: Benchmark = {
  name: 'loopback-all',
  description: 'all 65535 TCP ports of 127.0.0.1 in a namespace with only lo and 3 listeners',
  async run(ctx: BenchContext): Promise<BenchResult> {
    const ns = await openLab({ open: LISTEN, loopbackOnly: true });
    try {
      const truth: StateMap = ns.truth(ALL);
      const xml = (o: { stdout: string }): StateMap => statesFromXml(o.stdout, ALL);
      const ps = portscopeCmd(ctx, ['-d', '-p-', '-n', '-Pn', '-oX', '-', '127.0.0.1']);
      const contenders: Contender[] = [
        { label: 'portscope', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: ns.scannerNs }, parse: xml },
        // The same with the native backend held to one thread: what the worker threads buy (connect_scanner.c).
        { label: 'portscope, 1 native thread', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: ns.scannerNs, env: { PORTSCOPE_NATIVE_THREADS: '1' } }, parse: xml },
        { label: 'nmap -sT -T4', tool: 'nmap', cmd: 'nmap', args: ['-sT', '-p-', '-T4', '-n', '-Pn', '-oX', '-', '127.0.0.1'], opts: { netns: ns.scannerNs }, parse: xml },
        { label: 'nmap -sS -T4', tool: 'nmap', cmd: 'nmap', args: ['-sS', '-p-', '-T4', '-n', '-Pn', '-oX', '-', '127.0.0.1'], opts: { netns: ns.scannerNs }, parse: xml },
      ];
      const sbs = await sideBySide(contenders, ctx.n, truth, ALL, ctx.log);
      const ratioST = sbs.ratios.find((r) => r.nmap === 'nmap -sT -T4')?.ratio ?? Infinity;
      const psMis = sbs.contenders[0]!.misclassifiedMax;
      return {
        name: this.name,
        description: this.description,
        ports: ALL.length,
        truthCounts: countStates(truth, ALL),
        ...sbs,
        checks: [
          { what: `portscope median wall time <= nmap -sT -T4 (ratio ${ratioST.toFixed(3)})`, pass: ratioST <= 1 },
          { what: 'portscope misclassifies no port (self-connects must not show as open)', pass: psMis === 0 },
        ],
        notes: ns.notes,
      };
    } finally {
      await ns.close();
    }
  },
};

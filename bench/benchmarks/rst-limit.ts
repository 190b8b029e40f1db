import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { openLab } from '../lib/lab.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import { countStates, range, statesFromXml, type StateMap } from '../lib/states.js';

const LO = 30001;
const HI = 33000;
const PORTS = range(LO, HI);
/** 30 open ports; the other 2970 closed, and the target answers at most RST_PER_SECOND of them a second. */
const OPEN = PORTS.filter((p) => (p - LO) % 100 === 7);
const RST_PER_SECOND = 200;

/**
 * Issue 10 item 2: a host that rate-limits its RSTs (FreeBSD's and macOS's icmplim, 200/s by default). The
 * floor the limit sets: every closed port needs one RST, so (closed − burst) / rate seconds at least.
 */
export const rstLimit: Benchmark = {
  name: 'rst-limit',
  description: `192.0.2.2 ports ${LO}-${HI}: ${OPEN.length} open, the rest closed, RSTs limited to ${RST_PER_SECOND}/s (floor ${((PORTS.length - OPEN.length - 5) / RST_PER_SECOND).toFixed(1)} s)`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const lab = await openLab({ open: OPEN, rstPerSecond: RST_PER_SECOND });
    try {
      const truth: StateMap = lab.truth(PORTS);
      const xml = (o: { stdout: string }): StateMap => statesFromXml(o.stdout, PORTS);
      const spec = `${LO}-${HI}`;
      const ps = portscopeCmd(ctx, ['-d', '-p', spec, '-n', '-Pn', '-oX', '-', lab.target]);
      const contenders: Contender[] = [
        { label: 'portscope', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: lab.scannerNs }, parse: xml },
        { label: 'nmap -sT -T4', tool: 'nmap', cmd: 'nmap', args: ['-sT', '-p', spec, '-T4', '-n', '-Pn', '-oX', '-', lab.target], opts: { netns: lab.scannerNs }, parse: xml },
      ];
      const sbs = await sideBySide(contenders, ctx.n, truth, PORTS, ctx.log);
      const ratio = sbs.ratios.find((r) => r.nmap === 'nmap -sT -T4')?.ratio ?? Infinity;
      const floorS = (PORTS.length - OPEN.length - 5) / RST_PER_SECOND;
      return {
        name: this.name,
        description: this.description,
        ports: PORTS.length,
        truthCounts: countStates(truth, PORTS),
        ...sbs,
        checks: [
          { what: `portscope median wall time <= 1.0 x nmap -sT -T4 (measured ${ratio === null ? 'n/a' : ratio.toFixed(3)})`, pass: ratio !== null && ratio <= 1 },
          { what: 'portscope misclassifies no port in any run', pass: sbs.contenders[0]!.misclassifiedMax === 0 },
        ],
        notes: [
          ...lab.notes,
          `floor set by the limit: (${PORTS.length - OPEN.length} closed − 5 burst) / ${RST_PER_SECOND} per s = ${floorS.toFixed(1)} s; portscope median ${(sbs.contenders[0]!.medianMs / 1000 / floorS).toFixed(2)}× the floor`,
        ],
      };
    } finally {
      await lab.close();
    }
  },
};

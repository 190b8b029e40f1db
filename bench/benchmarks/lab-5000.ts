import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import { portscopeCmd } from '../lib/context.js';
import { openLab } from '../lib/lab.js';
import { sideBySide, type Contender } from '../lib/side-by-side.js';
import { countStates, range, statesFromXml, type StateMap } from '../lib/states.js';

const LO = 20001;
const HI = 25000;
const PORTS = range(LO, HI);
/** 2000 dropped and 100 open ports spread over the range (both tools probe in random order anyway). */
const DROPPED = PORTS.filter((p) => (p - LO) % 5 < 2);
const OPEN = PORTS.filter((p) => (p - LO) % 50 === 2);

function labBenchmark(name: string, lossPercent: number, nmapRuns: number | undefined, maxRatio: number): Benchmark {
  return {
    name,
    description:
      `192.0.2.2 ports ${LO}-${HI} from the scanner namespace: ${DROPPED.length} dropped, ${OPEN.length} open, the rest closed (no listener: the kernel's RST)` + (lossPercent ? `, ${lossPercent}% random loss into the target` : ''),
    async run(ctx: BenchContext): Promise<BenchResult> {
      const lab = await openLab({ drop: DROPPED, open: OPEN, lossPercent });
      try {
        const truth: StateMap = lab.truth(PORTS);
        const xml = (o: { stdout: string }): StateMap => statesFromXml(o.stdout, PORTS);
        const spec = `${LO}-${HI}`;
        const ps = portscopeCmd(ctx, ['-d', '-p', spec, '-n', '-Pn', '-oX', '-', lab.target]);
        const nmap = (type: string): Contender => ({
          label: `nmap ${type} -T4`,
          tool: 'nmap',
          cmd: 'nmap',
          args: [type, '-p', spec, '-T4', '-n', '-Pn', '-oX', '-', lab.target],
          opts: { netns: lab.scannerNs },
          runs: nmapRuns,
          parse: xml,
        });
        const contenders: Contender[] = [{ label: 'portscope', tool: 'portscope', ...ps, opts: { ...ps.opts, netns: lab.scannerNs }, parse: xml }, nmap('-sT'), nmap('-sS')];
        const sbs = await sideBySide(contenders, ctx.n, truth, PORTS, ctx.log);
        const ratioST = sbs.ratios.find((r) => r.nmap === 'nmap -sT -T4')?.ratio ?? Infinity;
        return {
          name,
          description: this.description,
          ports: PORTS.length,
          truthCounts: countStates(truth, PORTS),
          ...sbs,
          checks: [
            { what: `portscope median wall time <= ${maxRatio} x nmap -sT -T4 (measured ${ratioST.toFixed(3)})`, pass: ratioST <= maxRatio },
            { what: 'portscope misclassifies no port in any run', pass: sbs.contenders[0]!.misclassifiedMax === 0 },
          ],
          notes: [...lab.notes, ...(nmapRuns ? [`nmap runs ${nmapRuns} time(s) here (minutes per run); portscope ${ctx.n}`] : [])],
        };
      } finally {
        await lab.close();
      }
    },
  };
}

export const lab5000 = labBenchmark('lab-5000', 0, undefined, 1);
/** The issue's bar under 10% loss: zero misclassified in at most a tenth of nmap -T4's time. */
export const lab5000Loss10 = labBenchmark('lab-5000-loss10', 10, 1, 0.1);

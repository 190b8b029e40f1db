import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/store/index.js';
import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import type { RunRecord } from '../lib/side-by-side.js';
import { contender, runRecord, syntheticScan, timedCli } from './store-common.js';

const HOSTS = 65_536;
const GOAL_MS = 5000;

/**
 * Issue 7: storing a scan of 65,536 hosts × 10 ports on SQLite in under 5 s. Measured in-process
 * (HistoryStore.saveScan into a new file), and end to end with the CLI: a dry run of a /16 (the dry backend
 * sends nothing) with and without --save; the difference is what saving costs a user.
 */
export const storeSave: Benchmark = {
  name: 'store-save',
  description: `store one scan of ${HOSTS.toLocaleString('en')} hosts × 10 ports in SQLite (goal < ${GOAL_MS / 1000} s)`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const dir = mkdtempSync(join(tmpdir(), 'portscope-bench-store-'));
    try {
      const api: RunRecord[] = [];
      for (let i = 0; i < ctx.n; i++) {
        const rec = syntheticScan(HOSTS, 1_700_000_000_000 + i);
        const store = await HistoryStore.open(join(dir, `api-${i}.db`), {});
        const t = performance.now();
        await store.saveScan(rec);
        api.push(runRecord(performance.now() - t));
        await store.close();
        ctx.log(`  saveScan: ${api[i]!.ms.toFixed(0)} ms`);
      }
      const ports = '21,22,23,25,80,110,139,443,445,3389';
      const base = ['scan', '--dry-run', '-n', '-Pn', '-p', ports, '10.0.0.0/16', '-oX', '/dev/null'];
      const plain: RunRecord[] = [];
      const saved: RunRecord[] = [];
      for (let i = 0; i < ctx.n; i++) {
        plain.push(timedCli(ctx.root, base));
        saved.push(timedCli(ctx.root, [...base, '--save', '--db', join(dir, `cli-${i}.db`)]));
      }
      const contenders = [
        contender('HistoryStore.saveScan (in-process)', `saveScan(${HOSTS} hosts × 10 ports) into a new SQLite file`, api),
        contender('CLI dry run /16, no --save', `portscope ${base.join(' ')}`, plain),
        contender('CLI dry run /16, --save', `portscope ${base.join(' ')} --save --db FILE`, saved),
      ];
      const [a, p, s] = contenders;
      return {
        name: this.name,
        description: this.description,
        ports: 10,
        contenders,
        ratios: [],
        agreement: [],
        checks: [
          { what: `median saveScan under ${GOAL_MS} ms (measured ${a!.medianMs.toFixed(0)} ms)`, pass: a!.medianMs < GOAL_MS },
          { what: `CLI: --save adds under ${GOAL_MS} ms (measured ${(s!.medianMs - p!.medianMs).toFixed(0)} ms)`, pass: s!.medianMs - p!.medianMs < GOAL_MS && s!.failedRuns === 0 },
        ],
        notes: [`${HOSTS * 10} port rows per scan; SQLite WAL, synchronous=NORMAL, one transaction (src/store/store.ts)`],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { history } from '../../src/api/history.js';
import { HistoryStore } from '../../src/store/index.js';
import type { Benchmark, BenchContext, BenchResult } from '../lib/context.js';
import type { RunRecord } from '../lib/side-by-side.js';
import { contender, runRecord, syntheticScan, timedCli } from './store-common.js';

const SCANS = 100;
const HOSTS = 1000;
const GOAL_MS = 50;
const HOST = '10.0.0.5';

/**
 * Issue 7: `history` for one host answers in under 50 ms with a million stored port results. The database
 * holds 100 scans × 1,000 hosts × 10 ports (1,000,000 port rows); the host asked about is in every scan,
 * with ports that open and close between scans. Timed: history() in-process (open, migrate check, query,
 * close) and the CLI (node start-up included).
 */
export const storeHistory: Benchmark = {
  name: 'store-history',
  description: `\`history ${HOST}\` with ${(SCANS * HOSTS * 10).toLocaleString('en')} stored port results (goal < ${GOAL_MS} ms)`,
  async run(ctx: BenchContext): Promise<BenchResult> {
    const dir = mkdtempSync(join(tmpdir(), 'portscope-bench-hist-'));
    const db = join(dir, 'history.db');
    try {
      const store = await HistoryStore.open(db, {});
      const t = performance.now();
      for (let i = 0; i < SCANS; i++) await store.saveScan(syntheticScan(HOSTS, 1_700_000_000_000 + i * 3_600_000 + i, 5));
      await store.close();
      ctx.log(`  filled ${SCANS} scans in ${(performance.now() - t).toFixed(0)} ms`);
      const api: RunRecord[] = [];
      let ports = 0;
      let changes = 0;
      await history({ db, target: HOST, env: {} }); // first read warms the page cache, as any later one
      for (let i = 0; i < Math.max(ctx.n, 5); i++) {
        const t0 = performance.now();
        const r = await history({ db, target: HOST, env: {} });
        api.push(runRecord(performance.now() - t0));
        ports = r.hosts![0]!.ports.length;
        changes = r.hosts![0]!.ports.reduce((n, p) => n + p.changes.length, 0);
      }
      const cli: RunRecord[] = [];
      for (let i = 0; i < ctx.n; i++) cli.push(timedCli(ctx.root, ['history', '--db', db, HOST]));
      const contenders = [contender('history() in-process', `history({ db, target: '${HOST}' })`, api), contender('CLI', `portscope history --db FILE ${HOST}`, cli)];
      return {
        name: this.name,
        description: this.description,
        ports: 10,
        contenders,
        ratios: [],
        agreement: [],
        checks: [{ what: `median history() under ${GOAL_MS} ms (measured ${contenders[0]!.medianMs.toFixed(1)} ms)`, pass: contenders[0]!.medianMs < GOAL_MS }],
        notes: [`answer: ${ports} ports ever open, ${changes} state changes over ${SCANS} scans`, 'CLI time includes starting node and loading modules'],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

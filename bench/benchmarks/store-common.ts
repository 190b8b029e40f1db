/** Shared by the store benchmarks: records of a given size, and timed runs reported as bench contenders. */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { HostRecord, ScanRecord } from '../../src/store/index.js';
import type { ContenderResult, RunRecord } from '../lib/side-by-side.js';
import { median } from '../lib/stats.js';

export const TEN_PORTS = [21, 22, 23, 25, 80, 110, 139, 443, 445, 3389];

/** `hosts` hosts in 10.0.0.0/8 (data only: nothing is contacted) with the ten ports, a few open. */
export function syntheticScan(hosts: number, startedAt: number, openEvery = 7): ScanRecord {
  const out: HostRecord[] = [];
  for (let i = 0; i < hosts; i++) {
    out.push({
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      family: 4,
      status: 'up',
      statusReason: 'user-set',
      ports: TEN_PORTS.map((port, j) => ({ protocol: 'tcp' as const, port, state: (i + j + startedAt) % openEvery === 0 ? ('open' as const) : ('closed' as const), reason: 'conn-refused' })),
    });
  }
  return { startedAt, endedAt: startedAt + 1000, scanner: 'portscope', version: 'bench', args: 'bench', source: 'scan', interrupted: false, hosts: out };
}

export function runRecord(ms: number, code = 0): RunRecord {
  return { ms: Math.round(ms * 1000) / 1000, code, load1: loadavg()[0]! };
}

export function contender(label: string, command: string, runs: RunRecord[]): ContenderResult {
  const times = runs.map((r) => r.ms);
  return { label, tool: 'portscope', command, runs, medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), failedRuns: runs.filter((r) => r.code !== 0).length };
}

/** Wall time of a CLI run (node start-up included, as a user sees it). */
export function timedCli(cwd: string, args: string[]): RunRecord {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['bin/portscope', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  return runRecord(performance.now() - t, r.status ?? 1);
}

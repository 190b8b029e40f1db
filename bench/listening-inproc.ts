/**
 * bench/listening.ts's in-process half, run inside the benchmark's namespace: `listeningReport()` plus the
 * JSON rendering, N times in one process (no Node start-up, modules loaded), printing the times (ms) as
 * JSON. The first call is a warm-up (module loading, service table) and is reported apart.
 *   node dist/bench/listening-inproc.js RUNS [auto|proc]
 */
import { listeningReport } from '../src/index.js';
import { renderListeningJson } from '../src/output/listening-json.js';

const runs = Number(process.argv[2] ?? 5);
const source = process.argv[3] === 'proc' ? 'proc' : 'auto';
const times: number[] = [];
let first = 0;
let used = '';
for (let i = 0; i <= runs; i++) {
  const t0 = performance.now();
  const r = await listeningReport({ source });
  renderListeningJson(r.sockets, { version: '0', generatedAt: new Date().toISOString(), hostname: 'bench' });
  const ms = performance.now() - t0;
  if (i === 0) first = ms;
  else times.push(ms);
  used = r.source ?? '';
}
process.stdout.write(JSON.stringify({ first, times, source: used }));

/**
 * Side-by-side benchmarks of `portscope scan` and nmap (issue 2, "Performance").
 *
 *   npm run bench [-- [--runs N] [name…]]     (root: namespaces, nft, nmap -sS)
 *
 * Each benchmark runs portscope and nmap alternately N times, prints a markdown table (medians, ratio
 * portscope/nmap, ports misclassified against the lab's truth) and writes bench/out/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lab5000, lab5000Loss10 } from './benchmarks/lab-5000.js';
import { loopbackAll } from './benchmarks/loopback-all.js';
import { memoryDry } from './benchmarks/memory-dry.js';
import { rstLimit } from './benchmarks/rst-limit.js';
import { walkDry } from './benchmarks/walk-dry.js';
import { manyHosts, manyHostsEcho } from './benchmarks/many-hosts.js';
import { udpLab, udpLabSources4 } from './benchmarks/udp-lab.js';
import { serviceLab } from './benchmarks/service-lab.js';
import { storeHistory } from './benchmarks/store-history.js';
import { storeSave } from './benchmarks/store-save.js';
import type { BenchContext, Benchmark } from './lib/context.js';
import { machine } from './lib/machine.js';
import { markdown } from './lib/report.js';

const BENCHMARKS: Benchmark[] = [loopbackAll, lab5000, lab5000Loss10, rstLimit, memoryDry, walkDry, manyHosts, manyHostsEcho, serviceLab, udpLab, udpLabSources4, storeSave, storeHistory];

/** dist/bench/run.js → package root, two levels up. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(argv: string[]): Promise<number> {
  let n = 3;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--runs' || a === '-n') n = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`Usage: node dist/bench/run.js [--runs N] [name…]\nBenchmarks:\n${BENCHMARKS.map((b) => `  ${b.name.padEnd(16)} ${b.description}`).join('\n')}\n`);
      return 0;
    } else names.push(a);
  }
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write('bench: --runs needs a positive integer\n');
    return 2;
  }
  const unknown = names.filter((x) => !BENCHMARKS.some((b) => b.name === x));
  if (unknown.length) {
    process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.name).join(', ')})\n`);
    return 2;
  }
  const chosen = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const m = machine();
  const ctx: BenchContext = { n, root: ROOT, log: (l) => process.stderr.write(l + '\n') };
  const outDir = join(ROOT, 'bench', 'out');
  mkdirSync(outDir, { recursive: true });
  process.stdout.write(`## portscope benchmarks\n\n${m.date} · ${m.os} · kernel ${m.kernel} · ${m.cpu} × ${m.cores} · ${m.memGiB} GiB · node ${m.node} · ${m.nmap}\n\n`);
  let failed = 0;
  for (const b of chosen) {
    ctx.log(`bench: ${b.name} (${n} runs)`);
    try {
      const r = await b.run(ctx);
      writeFileSync(join(outDir, `${b.name}.json`), JSON.stringify({ machine: m, runsPerContender: n, ...r }, null, 2) + '\n');
      process.stdout.write(markdown(r) + '\n');
      if (!r.checks.every((c) => c.pass)) failed++;
    } catch (err) {
      failed++;
      process.stdout.write(`### ${b.name}\n\nfailed to run: ${(err as Error).message}\n\n`);
      ctx.log((err as Error).stack ?? String(err));
    }
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));

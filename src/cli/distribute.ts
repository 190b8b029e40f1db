/**
 * `portscope scan --distribute | --attach ID | --cancel ID` (docs/fleet.md): the coordinator. Splits and
 * enqueues, follows progress on stderr, and writes the usual outputs merged from the store.
 */
import { createInterface } from 'node:readline/promises';
import { cancelDistributedScan, followDistributedScan, OptionError, sampleMerge, startDistributedScan, type FollowResult, type FollowUpdate, type MergedScan } from '../entry/distribute.js';
import { formatNamed, SCAN_FORMATS, type OutputOptions } from '../entry/scan.js';
import type { CliIO } from './io.js';
import type { ScanCliOptions } from './scan-args.js';
import { openSink, type Sink } from './sinks.js';

export interface DistributeContext {
  io: CliIO;
  signal: AbortSignal;
  commandLine: string;
  /** What to do synchronously when a second SIGINT/SIGTERM ends the process (main.ts). */
  onForcedExit?: (finish: () => void) => void;
}

export async function runDistribute(cli: ScanCliOptions, ctx: DistributeContext): Promise<number> {
  const { io } = ctx;
  const d = cli.distribute!;
  const db = cli.db ?? (io.env.PORTSCOPE_DB || undefined);
  if (db === undefined) throw new OptionError(`--${d.mode} needs --db postgres://… (the database workers take shards from)`);
  const base = { db, env: io.env };
  if (d.mode === 'cancel') {
    if (cli.scan.targets?.length) throw new OptionError('--cancel takes a scan id, no targets');
    const { state, cancelled } = await cancelDistributedScan({ ...base, id: d.id! });
    if (!cancelled) {
      io.stderr.write(`portscope: scan #${d.id} is already ${state}; nothing to cancel\n`);
      return 2;
    }
    io.stderr.write(`portscope: scan #${d.id} cancelled\n`);
    return 0;
  }
  let id: number;
  if (d.mode === 'attach') {
    if (cli.scan.targets?.length) throw new OptionError('--attach takes a scan id, no targets');
    id = d.id!;
  } else {
    id = await startDistributedScan({
      ...base,
      scan: cli.scan,
      // The command line is stored with the scan and shown by `scans`: never with a database password.
      commandLine: ctx.commandLine.replace(/(postgres(?:ql)?:\/\/[^:@/\s]*):[^@\s]*@/gi, '$1:***@'),
      ...(d.shards === undefined ? {} : { shards: d.shards }),
      ...(d.fromWorkers === undefined ? {} : { vantages: d.fromWorkers }),
      ...(cli.scan.maxRate === undefined ? {} : { maxRate: cli.scan.maxRate }),
      ...(d.maxRatePerWorker === undefined ? {} : { maxRatePerWorker: d.maxRatePerWorker }),
      ...(d.leaseSeconds === undefined ? {} : { leaseSeconds: d.leaseSeconds }),
      saveHistory: cli.save === true,
    });
    if (d.detach) {
      io.stdout.write(`${id}\n`);
      return 0;
    }
    if (!cli.quiet) io.stderr.write(`portscope: distributed scan #${id} queued (follow again with: portscope scan --attach ${id} --db …)\n`);
  }
  const onUpdate = cli.quiet ? () => {} : progressPrinter(io);
  const hint = `portscope: scan #${id} goes on in the workers; follow it with: portscope scan --attach ${id} --db …\n`;
  // A second Ctrl-C (at the prompt, or while following on after "n") leaves at once: the scan goes on.
  ctx.onForcedExit?.(() => io.stderr.write(`\n${hint}`));
  // Idle while the workers scan: run the merge and the writers once on a small sample, so they are not
  // cold when the real result arrives (≈ 0.2 s on 100 hosts × 500 ports; bench/RESULTS.md, round 3).
  const warm = setTimeout(() => warmWriters(cli), 100);
  let result: FollowResult = await followDistributedScan({ ...base, id, onUpdate, signal: ctx.signal });
  clearTimeout(warm);
  if (io.stderrIsTTY) io.stderr.write('\r\x1b[2K');
  if (result.state === 'running') {
    // Interrupted coordinator: the scan itself goes on in the workers unless the user cancels it. On a
    // terminal the user chooses (cancel / detach / follow on); without one there is nobody to ask: detach.
    const answer = await askCancel(io, id);
    if (answer === 'cancel') {
      await cancelDistributedScan({ ...base, id });
      io.stderr.write(`portscope: scan #${id} cancelled\n`);
      return 130;
    }
    if (answer === 'detach') {
      io.stderr.write(hint);
      return 130;
    }
    result = await followDistributedScan({ ...base, id, onUpdate });
    if (io.stderrIsTTY) io.stderr.write('\r\x1b[2K');
  }
  if (result.state === 'cancelled') {
    io.stderr.write(`portscope: scan #${id} was cancelled; no outputs written\n`);
    return 2;
  }
  writeOutputs(cli, io, result.scans);
  if (result.differences.length) writeDifferences(io, result);
  if (result.state === 'failed') {
    io.stderr.write(`portscope: scan #${id} failed: ${result.scans[0]?.summary.error ?? 'a shard failed'}\n`);
    return 1;
  }
  if (!cli.quiet && result.historyScanIds)
    io.stderr.write(
      `portscope: merged result stored as scan ${Object.values(result.historyScanIds)
        .map((n) => `#${n}`)
        .join(', ')} (portscope history)\n`,
    );
  return 0;
}

function progressPrinter(io: CliIO): (u: FollowUpdate) => void {
  let lastLine = '';
  let lastAt = 0;
  return (u) => {
    const eta = u.etaMs === null ? '' : `, ETA ${Math.ceil(u.etaMs / 1000)}s`;
    const rate = u.ratePerWorker === null ? '' : `, ${u.ratePerWorker} pps each`;
    const line = `scan #${u.scanId}: ${u.done}/${u.shards} shards done, ${u.running} running, ${Math.round(u.portsPerSecond)} ports/s${eta}, ${u.workers} workers alive${rate}`;
    if (io.stderrIsTTY) io.stderr.write(`\r\x1b[2K${line}`);
    else if (line.replace(/ETA \d+s|\d+ ports\/s/g, '') !== lastLine.replace(/ETA \d+s|\d+ ports\/s/g, '') || Date.now() - lastAt > 10_000) {
      io.stderr.write(`portscope: ${line}\n`);
      lastAt = Date.now();
    }
    lastLine = line;
  };
}

/** On a terminal: y cancels the scan for every worker, d detaches, anything else follows on. No terminal: detach. */
async function askCancel(io: CliIO, id: number): Promise<'cancel' | 'detach' | 'follow'> {
  if (!process.stdin.isTTY || !io.stderrIsTTY) return 'detach';
  const rl = createInterface({ input: process.stdin, output: io.stderr });
  // At the prompt the terminal is in raw mode: Ctrl-C reaches readline, not the process. Again Ctrl-C: detach.
  const again = new AbortController();
  rl.on('SIGINT', () => again.abort());
  try {
    const answer = (await rl.question(`\nCancel scan #${id} for every worker? [y]es, [d]etach (it goes on without this terminal), [N]o: follow on `, { signal: again.signal }).catch(() => 'd')).trim();
    if (/^y(es)?$/i.test(answer)) return 'cancel';
    if (/^d(etach)?$/i.test(answer)) return 'detach';
    return 'follow';
  } finally {
    rl.close();
  }
}

/** The usual outputs, one set per vantage: with several vantages each file name gets `.LABEL` before its extension. */
function writeOutputs(cli: ScanCliOptions, io: CliIO, scans: MergedScan[]): void {
  const base: OutputOptions = { openOnly: cli.openOnly, reason: cli.reason, verbose: cli.verbose, color: false };
  const many = scans.length > 1;
  const toStdout = cli.outputs.some((o) => o.path === '-');
  for (const m of scans) {
    const sinks: { sink: Sink; kind: (typeof cli.outputs)[number]['kind'] | 'screen' }[] = [];
    try {
      for (const o of cli.outputs) sinks.push({ sink: openSink(many && o.path !== '-' ? withLabel(o.path, m.vantage) : o.path, io.stdout), kind: o.kind });
      if (!toStdout) sinks.push({ sink: openSink('-', io.stdout), kind: 'screen' });
      if (many && !toStdout) io.stdout.write(`\n== vantage ${m.vantage} ==\n`);
      for (const s of sinks) {
        const w = s.kind === 'screen' ? formatNamed(SCAN_FORMATS, 'normal').render({ ...base, screen: true }) : formatNamed(SCAN_FORMATS, s.kind).render(base);
        s.sink.write(w.start(m.start));
        for (const h of m.hosts) s.sink.write(w.host(h));
        s.sink.write(w.end(m.summary));
      }
    } finally {
      for (const s of sinks) s.sink.close();
    }
  }
}

/** Render a sample merged scan through every writer this run will use, into nothing. */
function warmWriters(cli: ScanCliOptions): void {
  const base: OutputOptions = { openOnly: cli.openOnly, reason: cli.reason, verbose: cli.verbose, color: false };
  const kinds = new Set(cli.outputs.map((o) => o.kind));
  try {
    for (let round = 0; round < 3; round++) {
      const m = sampleMerge();
      const writers = [formatNamed(SCAN_FORMATS, 'normal').render({ ...base, screen: true }), ...[...kinds].map((k) => formatNamed(SCAN_FORMATS, k).render(base))];
      for (const w of writers) {
        w.start(m.start);
        for (const h of m.hosts) w.host(h);
        w.end(m.summary);
      }
    }
  } catch {
    // Only a warm-up: the real outputs report their own errors.
  }
}

function withLabel(path: string, label: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') + 1 ? `${path.slice(0, dot)}.${label}${path.slice(dot)}` : `${path}.${label}`;
}

function writeDifferences(io: CliIO, r: FollowResult): void {
  const labels = r.scans.map((s) => s.vantage);
  const lines = [`\nPer-vantage differences (${r.differences.length} ports):`, `  ${['HOST', 'PORT', ...labels].join('\t')}`];
  for (const d of r.differences) lines.push(`  ${[d.address, `${d.port}/${d.protocol}`, ...labels.map((l) => d.states[l] || '-')].join('\t')}`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

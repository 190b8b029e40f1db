import { writeFileSync, renameSync } from 'node:fs';
import {
  addonStatus,
  formatNamed,
  OptionError,
  PortscopeError,
  readResumeFile,
  resumeStateText,
  SCAN_FORMATS,
  scan,
  type HostReport,
  type ScanAccounting,
  type OutputOptions,
  type OutputWriter,
  type saveScanRun,
  type ScanEvent,
  type ScanStart,
  type ScanSummary,
  type UdpScanStats,
} from '../entry/scan.js';
import { useColor } from './color.js';
import type { RunContext } from './commands.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { ProgressLine } from './progress.js';
import { parseScanArgs } from './scan-args.js';
import { SCAN_COMMAND } from './scan-options.js';
import { openSink, type Sink } from './sinks.js';

/** `portscope scan`: returns the exit code. */
export async function runScan(argv: string[], ctx: RunContext): Promise<number> {
  const { io } = ctx;
  let cli = parseScanArgs(argv);
  if (cli.help) {
    io.stdout.write(renderHelp(SCAN_COMMAND));
    return 0;
  }
  if (cli.distribute) return (await import('./distribute.js')).runDistribute(cli, ctx);
  if (cli.listPairs) return (await import('./list-pairs.js')).listPairs(cli.scan, io);
  // --resume FILE: the saved command line runs again with the saved walk, skipping what is done (docs/scale.md).
  let scanArgv = argv;
  if (cli.resumeFrom !== undefined) {
    if (argv.length !== 2) throw new OptionError('--resume FILE takes no other options: the saved scan runs with its own');
    const state = readResumeFile(cli.resumeFrom);
    scanArgv = state.argv;
    cli = parseScanArgs(state.argv);
    cli.scan.resume = state;
    cli.resumeFile ??= argv[1]!;
  }
  const run = scan({ ...cli.scan, signal: ctx.signal, commandLine: ctx.commandLine, progressIntervalMs: 250 });
  const warn = (msg: string): void => {
    if (!cli.quiet) io.stderr.write(`portscope: warning: ${msg}\n`);
  };
  for (const w of [...cli.warnings, ...run.warnings]) warn(w);
  if (run.backendName === 'node' && !cli.scan.backend) warn(`native connect backend unavailable; using the slower pure-Node backend (${addonStatus().reason})`);
  if (cli.debug) io.stderr.write(`portscope: connect backend: ${describeBackend(run.backendName, cli.scan.backend)}\n`);
  if (cli.debug) io.stderr.write(`portscope: host discovery: ${run.discovery}\n`);

  const base: OutputOptions = { openOnly: cli.openOnly, reason: cli.reason, verbose: cli.verbose, color: false };
  const outputs: { sink: Sink; writer: OutputWriter }[] = [];
  const toStdout = cli.outputs.some((o) => o.path === '-');
  try {
    for (const o of cli.outputs) outputs.push({ sink: openSink(o.path, io.stdout), writer: formatNamed(SCAN_FORMATS, o.kind).render(base) });
    if (!toStdout) {
      const color = useColor(cli.color, io.stdoutIsTTY, io.env);
      outputs.push({ sink: openSink('-', io.stdout), writer: formatNamed(SCAN_FORMATS, 'normal').render({ ...base, color, screen: true }) });
    }
  } catch (err) {
    for (const o of outputs) o.sink.close();
    throw err;
  }
  const normalOnStdout = !toStdout;
  const progress = io.stderrIsTTY && !cli.quiet ? new ProgressLine(io.stderr, io.stderrColumns) : null;
  const emit = (pick: (w: OutputWriter) => string): void => {
    progress?.clear();
    for (const o of outputs) o.sink.write(pick(o.writer));
  };

  let exitCode = 0;
  // --save (or --db): keep what the history needs; it is stored after the outputs are closed (below).
  const resumeHosts: HostReport[] | null = cli.resumeFile !== undefined ? [] : null;
  const saved = cli.save || cli.db !== undefined ? { start: null as ScanStart | null, hosts: [] as HostReport[], summary: undefined as ScanSummary | undefined } : null;
  let started: ScanStart | undefined;
  let ended = false;
  const hostCounts = { total: 0, up: 0 };
  /** One event to every output; synchronous, so a forced exit can run it too. */
  const handle = (ev: ScanEvent): void => {
    if (saved) {
      if (ev.kind === 'start') saved.start = ev.start;
      else if (ev.kind === 'host') saved.hosts.push(ev.host);
      else if (ev.kind === 'end') saved.summary = ev.summary;
    }
    switch (ev.kind) {
      case 'start':
        started = ev.start;
        emit((w) => w.start(ev.start));
        break;
      case 'port':
        if (cli.verbose > 0 && normalOnStdout) {
          progress?.clear();
          io.stdout.write(`Discovered open port ${ev.result.port}/${ev.result.protocol} on ${ev.address}\n`);
        }
        break;
      case 'host':
        resumeHosts?.push(ev.host);
        hostCounts.total++;
        if (ev.host.status === 'up') hostCounts.up++;
        emit((w) => w.host(ev.host));
        if (ev.host.stats.retryCapHit > 0) {
          warn(`${ev.host.address}: giving up on ${ev.host.stats.retryCapHit} ports because the retry cap (--max-retries) was hit; measured loss ${(ev.host.stats.lossEstimate * 100).toFixed(1)}%`);
        }
        if (cli.debug) {
          const st = ev.host.stats;
          io.stderr.write(
            `portscope: ${ev.host.address}: ${st.probesSent} probes, ${st.lateAnswers} late answers, loss ~${(st.lossEstimate * 100).toFixed(1)}%, up to ${st.retriesUsed} retries, timeout ${st.timeoutMs} ms, ${((ev.host.endTime - ev.host.startTime) / 1000).toFixed(2)} s${st.answerRateLimit ? `, answers limited to ~${st.answerRateLimit}/s (paced)` : ''}\n`,
          );
          if (st.udp) io.stderr.write(`portscope: ${ev.host.address}: ${udpTimeLine(st.udp)}\n`);
        }
        break;
      case 'target-problem':
        progress?.clear();
        io.stderr.write(`${ev.problem.message}\n`);
        emit((w) => w.targetProblem(ev.problem));
        break;
      case 'progress':
        progress?.update(ev.progress);
        break;
      case 'end':
        ended = true;
        emit((w) => w.end(ev.summary));
        if (cli.debug && ev.summary.accounting) io.stderr.write(`portscope: ${accountingLine(ev.summary.accounting, ev.summary.elapsedMs)}\n`);
        if (ev.summary.error) {
          io.stderr.write(`portscope: ${ev.summary.error}\n`);
          exitCode = 1;
        } else if (ev.summary.interrupted) {
          exitCode = ctx.signal.aborted ? signalExitCode(String(ctx.signal.reason)) : 1;
        }
        if (resumeHosts && ev.summary.interrupted) writeResume(cli.resumeFile!, scanArgv, run.seed, resumeHosts, io);
        break;
    }
  };
  // A second signal: stop now, write what the engine still holds and each output's end, close the files.
  ctx.onForcedExit?.(() => {
    run.stop(ctx.signal.aborted ? String(ctx.signal.reason) : 'Interrupted');
    for (const ev of run.drain()) if (!ended) handle(ev);
    if (!ended && started) handle({ kind: 'end', summary: forcedSummary(started, hostCounts, String(ctx.signal.reason ?? 'Interrupted')) });
    progress?.clear();
    for (const o of outputs) o.sink.close();
  });
  try {
    for await (const ev of run) handle(ev);
  } catch (err) {
    if (err instanceof PortscopeError) {
      io.stderr.write(`portscope: ${err.message}\n`);
      exitCode = 2;
    } else throw err;
  } finally {
    progress?.clear();
    for (const o of outputs) o.sink.close();
  }
  if (saved?.start) exitCode = await saveToHistory(saved as Parameters<typeof saveScanRun>[0], cli, io, exitCode);
  return exitCode;
}

/** A history that cannot be written costs one error line and exit 2; the outputs above are already complete. */
async function saveToHistory(run: Parameters<typeof saveScanRun>[0], cli: { db?: string; quiet: boolean }, io: RunContext['io'], exitCode: number): Promise<number> {
  try {
    const opts: { db?: string; env: NodeJS.ProcessEnv } = { env: io.env };
    if (cli.db !== undefined) opts.db = cli.db;
    // Loaded only with --save: the database drivers are not every scan's start-up cost.
    const r = await (await import('../entry/history.js')).saveScanRun(run, opts);
    if (!cli.quiet) io.stderr.write(`portscope: saved as scan #${r.id} in ${r.db}\n`);
    return exitCode;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

/** The closing summary when the engine could not deliver its own before a forced exit. */
function forcedSummary(start: ScanStart, hosts: { total: number; up: number }, reason: string): ScanSummary {
  const endTime = Date.now();
  return {
    startTime: start.startTime,
    endTime,
    elapsedMs: endTime - start.startTime,
    hostsTotal: hosts.total,
    hostsUp: hosts.up,
    hostsDown: hosts.total - hosts.up,
    probesSent: 0,
    interrupted: true,
    exitMessage: reason,
    targetProblems: [],
  };
}

/** The interrupted scan's state, for `portscope scan --resume FILE`. Written whole, then renamed: never half a file. */
function writeResume(path: string, argv: string[], seed: number, hosts: HostReport[], io: CliIO): void {
  const keep = argv.filter((a, i) => a !== '--resume-file' && argv[i - 1] !== '--resume-file' && !a.startsWith('--resume-file='));
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, resumeStateText([...keep, '--resume-file', path], seed, hosts));
  renameSync(tmp, path);
  io.stderr.write(`portscope: scan state saved; continue with: portscope scan --resume ${path}\n`);
}

/** -d: how the scan's time went (docs/scale.md). */
function accountingLine(a: ScanAccounting, elapsedMs: number): string {
  const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  return `time: ${sec(elapsedMs)} total; discovery ${a.discoveryProbes} probes, ${sec(a.discoveryHostMs)} of host time; ports ${a.portProbes} probes + ${a.retries} retries; waited ${sec(a.rateWaitMs)} for the rate limits; neighbour table: ${a.neighbourUp} of ${a.neighbourChecks} silent hosts alive`;
}

function signalExitCode(reason: string): number {
  if (reason.includes('SIGTERM')) return 143;
  if (reason.includes('SIGINT')) return 130;
  return 1;
}

/** -d: where a host's UDP scan spent its time (docs/udp.md). */
function udpTimeLine(u: UdpScanStats): string {
  const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const rate = u.icmpPerSecond > 0 ? `${u.icmpPerSecond.toFixed(u.icmpPerSecond < 10 ? 2 : 0)}/s` : u.icmpAnswers > 0 ? 'not needed' : 'no ICMP seen';
  return `UDP ${u.probesSent} probes: sweep ${sec(u.sweepMs)}, ICMP rate measurement ${sec(u.rateMs)} (${rate}), confirming silent ports ${sec(u.confirmMs)}; ${u.icmpAnswers} ICMP answers, rate-limit floor ${sec(u.floorMs)}${u.violations ? `, ${u.violations} rate re-estimates` : ''}`;
}

/** The `-d` account of the backend: which one, and where the native addon came from or why there is none. */
function describeBackend(name: string, chosen: string | undefined): string {
  if (name === 'native') return `native (${addonStatus().reason})`;
  if (name !== 'node') return name;
  if (chosen === 'node') return `node (chosen with --backend node; native addon: ${addonStatus().reason})`;
  return `node (${addonStatus().reason})`;
}

import { scan } from '../api/scan.js';
import { PortscopeError } from '../model/index.js';
import { formats } from '../output/index.js';
import type { OutputOptions, OutputWriter } from '../output/types.js';
import type { CliIO } from './io.js';
import { ProgressLine } from './progress.js';
import { parseScanArgs } from './scan-args.js';
import { SCAN_HELP } from './scan-help.js';
import { openSink, type Sink } from './sinks.js';

export interface RunContext {
  io: CliIO;
  /** Aborted by the process's SIGINT/SIGTERM handler, with the reason as message. */
  signal: AbortSignal;
  commandLine: string;
}

/** `portscope scan`: returns the exit code. */
export async function runScan(argv: string[], ctx: RunContext): Promise<number> {
  const { io } = ctx;
  const cli = parseScanArgs(argv);
  if (cli.help) {
    io.stdout.write(SCAN_HELP);
    return 0;
  }
  const run = scan({ ...cli.scan, signal: ctx.signal, commandLine: ctx.commandLine, progressIntervalMs: 250 });
  const warn = (msg: string): void => {
    if (!cli.quiet) io.stderr.write(`portscope: warning: ${msg}\n`);
  };
  for (const w of [...cli.warnings, ...run.warnings]) warn(w);
  if (run.backendName === 'node' && !cli.scan.backend) warn('native connect backend unavailable; using the slower pure-Node backend');
  if (cli.debug) io.stderr.write(`portscope: connect backend: ${run.backendName}\n`);

  const base: OutputOptions = { openOnly: cli.openOnly, reason: cli.reason, verbose: cli.verbose, color: false };
  const outputs: { sink: Sink; writer: OutputWriter }[] = [];
  const toStdout = cli.outputs.some((o) => o.path === '-');
  try {
    for (const o of cli.outputs) outputs.push({ sink: openSink(o.path, io.stdout), writer: formats[o.kind](base) });
    if (!toStdout) {
      const color = io.stdoutIsTTY && !cli.noColor && !('NO_COLOR' in io.env);
      outputs.push({ sink: openSink('-', io.stdout), writer: formats.normal({ ...base, color, screen: true }) });
    }
  } catch (err) {
    for (const o of outputs) o.sink.close();
    throw err;
  }
  const normalOnStdout = !toStdout;
  const progress = io.stderrIsTTY && !cli.quiet ? new ProgressLine(io.stderr) : null;
  const emit = (pick: (w: OutputWriter) => string): void => {
    progress?.clear();
    for (const o of outputs) o.sink.write(pick(o.writer));
  };

  let exitCode = 0;
  try {
    for await (const ev of run) {
      switch (ev.kind) {
        case 'start':
          emit((w) => w.start(ev.start));
          break;
        case 'port':
          if (cli.verbose > 0 && normalOnStdout) {
            progress?.clear();
            io.stdout.write(`Discovered open port ${ev.result.port}/${ev.result.protocol} on ${ev.address}\n`);
          }
          break;
        case 'host':
          emit((w) => w.host(ev.host));
          if (ev.host.stats.retryCapHit > 0) {
            warn(`${ev.host.address}: giving up on ${ev.host.stats.retryCapHit} ports because the retry cap (--max-retries) was hit; measured loss ${(ev.host.stats.lossEstimate * 100).toFixed(1)}%`);
          }
          if (cli.debug) {
            const s = ev.host.stats;
            io.stderr.write(`portscope: ${ev.host.address}: ${s.probesSent} probes, ${s.lateAnswers} late answers, loss ~${(s.lossEstimate * 100).toFixed(1)}%, up to ${s.retriesUsed} retries, timeout ${s.timeoutMs} ms, ${((ev.host.endTime - ev.host.startTime) / 1000).toFixed(2)} s\n`);
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
          emit((w) => w.end(ev.summary));
          if (ev.summary.error) {
            io.stderr.write(`portscope: ${ev.summary.error}\n`);
            exitCode = 1;
          } else if (ev.summary.interrupted) {
            exitCode = ctx.signal.aborted ? signalExitCode(String(ctx.signal.reason)) : 1;
          }
          break;
      }
    }
  } catch (err) {
    if (err instanceof PortscopeError) {
      io.stderr.write(`portscope: ${err.message}\n`);
      exitCode = 2;
    } else throw err;
  } finally {
    progress?.clear();
    for (const o of outputs) o.sink.close();
  }
  return exitCode;
}

function signalExitCode(reason: string): number {
  if (reason.includes('SIGTERM')) return 143;
  if (reason.includes('SIGINT')) return 130;
  return 1;
}

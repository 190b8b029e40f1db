import { hostname } from 'node:os';
import { formatNamed, LISTENING_FORMATS, listeningReport, oneLine, OptionError, PortscopeError, renderListeningTable, VERSION, type ListeningReportMeta } from '../entry/listening.js';
import { useColor } from './color.js';
import type { CliIO } from './io.js';
import { LISTENING_COMMAND, type ListeningCli } from './listening-options.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { openSink, type Sink } from './sinks.js';

export type { ListeningCli } from './listening-options.js';

export function parseListeningArgs(argv: readonly string[]): ListeningCli {
  const cli = parseCommandLine(LISTENING_COMMAND, argv);
  if (cli.outputs.filter((o) => o.path === '-').length > 1) throw new OptionError('only one output can go to stdout');
  return cli;
}

/**
 * `portscope listening`: returns the exit code (0 ok; 1 the sockets could not be read or an output could not
 * be written; 2 bad options or an output file that cannot be opened).
 */
export async function runListening(argv: string[], io: CliIO): Promise<number> {
  let cli: ListeningCli;
  try {
    cli = parseListeningArgs(argv);
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
  if (cli.help) {
    io.stdout.write(renderHelp(LISTENING_COMMAND));
    return 0;
  }
  // Output files are opened first, so that a path we cannot write is reported before any work (exit 2).
  const sinks: { kind: string; sink: Sink }[] = [];
  try {
    for (const o of cli.outputs) sinks.push({ kind: o.kind, sink: openSink(o.path, io.stdout) });
  } catch (err) {
    for (const o of sinks) o.sink.close();
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
  let report: Awaited<ReturnType<typeof listeningReport>>;
  // PORTSCOPE_LISTENING_SOURCE=proc|sock_diag|auto picks the Linux reader (docs/listening.md).
  const source = io.env.PORTSCOPE_LISTENING_SOURCE;
  try {
    report = await listeningReport(source === undefined || source === '' ? cli.options : { ...cli.options, source: source as 'auto' });
  } catch (err) {
    for (const o of sinks) o.sink.close();
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return err instanceof OptionError ? 2 : 1;
  }
  const { sockets } = report;
  const meta: ListeningReportMeta = { version: VERSION, generatedAt: new Date().toISOString(), hostname: hostname() };
  if (cli.options.netns !== undefined) meta.netns = cli.options.netns;
  if (report.source !== undefined) meta.source = report.source;
  if (cli.verbose && report.fallbackReason !== undefined) io.stderr.write(`portscope: sockets read from /proc (${oneLine(report.fallbackReason)})\n`);
  try {
    for (const o of sinks) o.sink.write(formatNamed(LISTENING_FORMATS, o.kind).render(sockets, meta));
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 1;
  } finally {
    for (const o of sinks) o.sink.close();
  }
  // fleet (issue 14): after the outputs, as scan --save
  if (cli.save) {
    try {
      const { saveListening } = await import('../entry/fleet.js');
      const r = await saveListening({
        sockets,
        env: io.env,
        ...(cli.db === undefined ? {} : { db: cli.db }),
        ...(cli.machineId === undefined ? {} : { machineId: cli.machineId }),
        ...(cli.hostname === undefined ? {} : { hostname: cli.hostname }),
      });
      io.stderr.write(`portscope: saved ${sockets.length} sockets of ${oneLine(r.snapshot.hostname)} (machine ${oneLine(r.snapshot.machineId)}) as snapshot #${r.id} in ${r.db}\n`);
    } catch (err) {
      if (!(err instanceof PortscopeError)) throw err;
      io.stderr.write(`portscope: ${err.message}\n`);
      return 2;
    }
  }
  if (!cli.outputs.some((o) => o.path === '-')) {
    const color = useColor(cli.color, io.stdoutIsTTY, io.env);
    io.stdout.write(renderListeningTable(sockets, { color, verbose: cli.verbose }));
  }
  return 0;
}

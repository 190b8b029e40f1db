/** `portscope worker`: take shards of distributed scans from the queue until SIGINT/SIGTERM (docs/fleet.md). */
import { OptionError, PortscopeError, runWorker } from '../entry/fleet.js';
import { WORKER_COMMAND } from './fleet-options.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';

export async function runWorkerCli(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  try {
    const cli = parseCommandLine(WORKER_COMMAND, argv);
    if (cli.help) {
      io.stdout.write(renderHelp(WORKER_COMMAND));
      return 0;
    }
    const db = cli.db ?? (io.env.PORTSCOPE_DB || undefined);
    if (db === undefined) throw new OptionError('worker needs --db postgres://… (or $PORTSCOPE_DB)');
    const log = cli.quiet ? undefined : (line: string) => void io.stderr.write(`portscope worker: ${line}\n`);
    const r = await runWorker({ db, env: io.env, labels: cli.labels, signal, ...(cli.rate === undefined ? {} : { maxRatePerWorker: cli.rate }), ...(cli.backend ? { backend: cli.backend } : {}), ...(log ? { log } : {}) });
    if (!cli.quiet) io.stderr.write(`portscope worker: ${r.id} stopped after ${r.shards} shards\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

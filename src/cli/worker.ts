/** `portscope worker`: take shards of distributed scans from the queue until SIGINT/SIGTERM (docs/fleet.md). */
import { runWorker } from '../api/worker.js';
import { OptionError, PortscopeError } from '../model/index.js';
import type { CliIO } from './io.js';
import { optionTokens } from './option-tokens.js';
import { parseRate } from './parse-time.js';

export const WORKER_HELP = `Usage: portscope worker --db postgres://… [options]

Takes shards of distributed scans (portscope scan --distribute) from the queue in the database, scans them
and stores the results; runs until SIGINT/SIGTERM. Run any number, on any machines. docs/fleet.md.

  --db URL                  the coordinating PostgreSQL database (also $PORTSCOPE_DB)
  --label L[,L...]          vantage labels: also take shards of scan --from-workers L (repeatable)
  --max-rate-per-worker N   this worker's own cap in probes per second (a scan's share of its global
                            --max-rate can lower it further)
  --backend auto|native|node  connect backend (as portscope scan)
  -q, --quiet               no log lines on stderr
  -h, --help                this help

Exit status: 0 stopped by a signal; 2 bad option, database unreachable, or a running scan belongs to
another portscope version.
`;

const VALUES = new Set(['--db', '--label', '--max-rate-per-worker', '--backend']);

export async function runWorkerCli(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  let db = io.env.PORTSCOPE_DB || undefined;
  const labels: string[] = [];
  let rate: number | undefined;
  let backend: 'auto' | 'native' | 'node' | undefined;
  let quiet = false;
  try {
    for (const { arg, value } of optionTokens(argv, VALUES)) {
      switch (arg) {
        case '-h': case '--help': io.stdout.write(WORKER_HELP); return 0;
        case '--db': db = value!; break;
        case '--label': labels.push(...value!.split(',').filter(Boolean)); break;
        case '--max-rate-per-worker': rate = parseRate(arg, value!); break;
        case '--backend':
          if (value !== 'auto' && value !== 'native' && value !== 'node') throw new OptionError(`invalid --backend "${value}": use auto, native or node`);
          backend = value;
          break;
        case '-q': case '--quiet': quiet = true; break;
        default: throw new OptionError(arg.startsWith('-') ? `worker: unknown option "${arg}" (see portscope worker --help)` : `worker: unexpected argument "${arg}"`);
      }
    }
    if (db === undefined) throw new OptionError('worker needs --db postgres://… (or $PORTSCOPE_DB)');
    const log = quiet ? undefined : (line: string) => void io.stderr.write(`portscope worker: ${line}\n`);
    const r = await runWorker({ db, env: io.env, labels, signal, ...(rate === undefined ? {} : { maxRatePerWorker: rate }), ...(backend ? { backend } : {}), ...(log ? { log } : {}) });
    if (!quiet) io.stderr.write(`portscope worker: ${r.id} stopped after ${r.shards} shards\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

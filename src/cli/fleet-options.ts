/** Option tables of `portscope worker` and `portscope scans` (docs/fleet.md; see options/types.ts). */
import { OptionError } from '../entry/core.js';
import type { CommandSpec } from './options/types.js';
import { parseRate } from './parse-time.js';

export interface WorkerCli {
  db?: string;
  labels: string[];
  rate?: number;
  backend?: 'auto' | 'native' | 'node';
  quiet: boolean;
  help: boolean;
}

const OPTIONS = 'Options:';

export const WORKER_COMMAND: CommandSpec<WorkerCli> = {
  name: 'worker',
  usage: ['--db postgres://… [options]'],
  description: `Takes shards of distributed scans (portscope scan --distribute) from the queue in the database, scans them
and stores the results; runs until SIGINT/SIGTERM. Run any number, on any machines. docs/fleet.md.`,
  style: 'posix',
  options: [
    { names: ['--db'], arg: 'URL', group: OPTIONS, help: 'the coordinating PostgreSQL database (also $PORTSCOPE_DB)', apply: (c, v) => (c.db = v) },
    { names: ['--label'], arg: 'L[,L...]', group: OPTIONS, help: 'vantage labels: also take shards of scan --from-workers L (repeatable)', apply: (c, v) => void c.labels.push(...v.split(',').filter(Boolean)) },
    {
      names: ['--max-rate-per-worker'],
      arg: 'N',
      group: OPTIONS,
      help: "this worker's own cap in probes per second (a scan's share of its global\n--max-rate can lower it further)",
      apply: (c, v) => (c.rate = parseRate('--max-rate-per-worker', v)),
    },
    {
      names: ['--backend'],
      arg: 'auto|native|node',
      group: OPTIONS,
      help: 'connect backend (as portscope scan)',
      choices: ['auto', 'native', 'node'],
      apply: (c, v) => {
        if (v !== 'auto' && v !== 'native' && v !== 'node') throw new OptionError(`invalid --backend "${v}": use auto, native or node`);
        c.backend = v;
      },
    },
    { names: ['-q', '--quiet'], group: OPTIONS, help: 'no log lines on stderr', apply: (c) => (c.quiet = true) },
    { names: ['-h', '--help'], group: OPTIONS, help: 'this help', apply: (c) => (c.help = true) },
  ],
  footer: `Exit status: 0 stopped by a signal; 2 bad option, database unreachable, or a running scan belongs to
another portscope version.`,
  init: () => ({ labels: [], quiet: false, help: false }),
};

export interface ScansCli {
  db?: string;
  json: boolean;
  help: boolean;
}

export const SCANS_COMMAND: CommandSpec<ScansCli> = {
  name: 'scans',
  usage: ['--db postgres://… [--json]'],
  description: `Distributed scans (portscope scan --distribute) with their state: running, done, failed, cancelled.
Follow one with portscope scan --attach ID, stop one with portscope scan --cancel ID.`,
  style: 'posix',
  options: [
    { names: ['--db'], arg: 'URL', group: OPTIONS, help: 'the coordinating PostgreSQL database (also $PORTSCOPE_DB)', apply: (c, v) => (c.db = v) },
    { names: ['--json'], group: OPTIONS, help: 'JSON instead of the table', apply: (c) => (c.json = true) },
    { names: ['-h', '--help'], group: OPTIONS, help: 'this help', apply: (c) => (c.help = true) },
  ],
  init: () => ({ json: false, help: false }),
};

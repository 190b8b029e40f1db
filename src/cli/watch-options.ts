import type { CommandSpec, OptionSpec } from './options/types.js';
import { SCAN_COMMAND, SCAN_OPTIONS, type ScanCliOptions } from './scan-options.js';

export interface WatchCli extends ScanCliOptions {
  every?: string;
  jsonl?: string;
  webhook?: string;
  webhookFormat?: string;
  rounds?: string;
}

type Opt = OptionSpec<WatchCli>;
const WATCH = 'Options:';

const WATCH_OPTIONS: readonly Opt[] = [
  { names: ['--every'], arg: 'TIME', group: WATCH, help: 'interval: 30s, 15m, 1h, 24h (required)', apply: (c, v) => (c.every = v) },
  { names: ['--db'], arg: 'PATH', group: WATCH, help: 'history database: SQLite file or postgres:// URL (default as portscope history)', apply: (c, v) => (c.db = v) },
  { names: ['--jsonl'], arg: 'FILE', group: WATCH, help: 'append one JSON line per round (the diff, or null for the first scan)', apply: (c, v) => (c.jsonl = v) },
  { names: ['--webhook'], arg: 'URL', group: WATCH, help: 'POST changes to URL; retried with exponential backoff on errors, 5xx and 429', apply: (c, v) => (c.webhook = v) },
  { names: ['--webhook-format'], arg: 'FMT', group: WATCH, help: 'generic (JSON diff, default) or slack (incoming-webhook "text" message)', choices: ['generic', 'slack'], apply: (c, v) => (c.webhookFormat = v) },
  { names: ['--rounds'], arg: 'N', group: WATCH, help: 'stop after N scans (default: run until interrupted)', apply: (c, v) => (c.rounds = v) },
];

const own = new Set(WATCH_OPTIONS.flatMap((o) => o.names));

/** watch takes every scan option (listed by `scan --help`, hence hidden here) besides its own. */
export const WATCH_COMMAND: CommandSpec<WatchCli> = {
  name: 'watch',
  usage: ['[scan options] TARGET... --every TIME [options]'],
  description: `Scan TARGET on a schedule, store each scan in the history, compare it with the previous scan of the same
targets and options, and report what changed. Restarting the same command continues the same schedule
(its due time and last scan are in the database).`,
  style: 'nmap',
  options: [...WATCH_OPTIONS, ...SCAN_OPTIONS.filter((o) => !o.names.some((n) => own.has(n))).map((o) => ({ ...o, hidden: true }))],
  operand: { name: 'TARGET', apply: (c, v) => void c.scan.targets!.push(v) },
  special: SCAN_COMMAND.special!,
  init: SCAN_COMMAND.init,
  footer: 'Scan options: as portscope scan (-p, --top-ports, -T4, -Pn, -n …); output files (-oX …) are not used.',
};

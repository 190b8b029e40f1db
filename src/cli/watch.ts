/**
 * `portscope watch [scan options] TARGET... --every TIME`: rescan on a schedule, store, report changes to
 * stdout, a JSON lines file and webhooks.
 */
import { appendFileSync } from 'node:fs';
import { redactUrl, watch, type WatchOptions, type WatchRound } from '../api/watch.js';
import { FileError, OptionError } from '../model/index.js';
import { diffJsonDocument } from '../output/diff-json.js';
import { formatDiffText } from '../output/diff-text.js';
import type { CliIO } from './io.js';
import { parseCount, parseTime } from './parse-time.js';
import { parseScanArgs } from './scan-args.js';

const HELP = `Usage: portscope watch [scan options] TARGET... --every TIME [options]

Scan TARGET on a schedule, store each scan in the history, compare it with the previous scan of the same
targets and options, and report what changed. Restarting the same command continues the same schedule
(its due time and last scan are in the database).

  --every TIME              interval: 30s, 15m, 1h, 24h (required)
  --db PATH                 history database: SQLite file or postgres:// URL (default as portscope history)
  --jsonl FILE              append one JSON line per round (the diff, or null for the first scan)
  --webhook URL             POST changes to URL; retried with exponential backoff on errors, 5xx and 429
  --webhook-format FMT      generic (JSON diff, default) or slack (incoming-webhook "text" message)
  --rounds N                stop after N scans (default: run until interrupted)
  Scan options: as portscope scan (-p, --top-ports, -T4, -Pn, -n …); output files (-oX …) are not used.
`;

const WATCH_FLAGS = new Set(['--every', '--db', '--jsonl', '--webhook', '--webhook-format', '--rounds']);

export interface WatchContext {
  io: CliIO;
  signal: AbortSignal;
  commandLine: string;
}

export async function runWatch(argv: string[], ctx: WatchContext): Promise<number> {
  const { io } = ctx;
  const mine = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (WATCH_FLAGS.has(name)) {
      const v = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new OptionError(`option ${name} needs a value`);
      mine.set(name, v);
    } else rest.push(arg);
  }
  const cli = parseScanArgs(rest);
  if (cli.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (cli.outputs.length) throw new OptionError('watch writes no scan output files (-oN/-oX/-oG/-oJ/-oA): use --jsonl, or portscope history and diff');
  const targets = cli.scan.targets ?? [];
  if (targets.length === 0) throw new OptionError('watch needs at least one TARGET');
  const every = mine.get('--every');
  if (every === undefined) throw new OptionError('watch needs --every TIME (e.g. --every 1h)');
  const everyMs = parseTime('--every', every);
  if (everyMs < 1000) throw new OptionError(`--every ${every} is too short: at least 1s`);
  const format = mine.get('--webhook-format') ?? 'generic';
  if (format !== 'generic' && format !== 'slack') throw new OptionError(`invalid --webhook-format "${format}": use generic or slack`);
  if (mine.has('--webhook-format') && !mine.has('--webhook')) throw new OptionError('--webhook-format needs --webhook URL');
  const hook = mine.get('--webhook');
  if (hook !== undefined && !/^https?:\/\/[^\s]+$/i.test(hook)) throw new OptionError(`invalid --webhook "${redactUrl(hook)}": use an http:// or https:// URL`);
  const jsonl = mine.get('--jsonl');
  if (jsonl !== undefined) appendLine(jsonl, null); // fail before the first scan if the file cannot be written

  const { targets: _t, ...scanOpts } = cli.scan;
  const opts: WatchOptions = {
    targets,
    scan: scanOpts,
    everyMs,
    env: io.env,
    signal: ctx.signal,
    onRound: (r) => report(r, io, jsonl, targets),
    onWebhookError: (m) => io.stderr.write(`portscope: warning: ${m}\n`),
  };
  if (mine.has('--db')) opts.db = mine.get('--db')!;
  if (mine.has('--rounds')) opts.rounds = parseCount('--rounds', mine.get('--rounds')!, 1, 1_000_000);
  if (hook !== undefined) opts.webhook = { url: hook, format };
  await watch(opts);
  if (ctx.signal.aborted) return String(ctx.signal.reason).includes('SIGTERM') ? 143 : 130;
  return 0;
}

function report(r: WatchRound, io: CliIO, jsonl: string | undefined, targets: string[]): void {
  const at = new Date(r.at).toISOString().slice(0, 19).replace('T', ' ');
  const next = new Date(r.nextRunAt).toISOString().slice(0, 19).replace('T', ' ');
  let line: string;
  if (r.diff === null) line = `[${at}] scan #${r.scanId} of ${targets.join(' ')}: first scan of this schedule (baseline); next at ${next} UTC\n`;
  else if (!r.diff.changed) line = `[${at}] scan #${r.scanId}: no changes since #${r.previousScanId}; next at ${next} UTC\n`;
  else {
    const body = formatDiffText(r.diff).split('\n').slice(2).map((l) => (l ? `  ${l}` : l)).join('\n');
    line = `[${at}] scan #${r.scanId}: CHANGES since #${r.previousScanId}:\n${body.trimEnd()}\n`;
    if (r.webhook) line += `  webhook: ${r.webhook.delivered ? 'delivered' : 'FAILED'} after ${r.webhook.attempts} attempt(s)\n`;
  }
  io.stdout.write(line);
  if (jsonl !== undefined) {
    appendLine(jsonl, {
      time: new Date(r.at).toISOString(),
      scheduleId: r.scheduleId,
      scanId: r.scanId,
      previousScanId: r.previousScanId ?? null,
      changed: r.diff?.changed ?? false,
      diff: r.diff ? diffJsonDocument(r.diff) : null,
      webhook: r.webhook ?? null,
    });
  }
}

/** Append one line (or, with null, just check that the file can be appended to). */
function appendLine(path: string, obj: Record<string, unknown> | null): void {
  try {
    appendFileSync(path, obj === null ? '' : JSON.stringify(obj) + '\n');
  } catch (err) {
    throw new FileError(`cannot write --jsonl file "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

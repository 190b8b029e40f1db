/**
 * `portscope watch [scan options] TARGET... --every TIME`: rescan on a schedule, store, report changes to
 * stdout, a JSON lines file and webhooks.
 */
import { appendFileSync } from 'node:fs';
import { diffJsonDocument, FileError, formatDiffText, OptionError, redactUrl, watch, type WatchOptions, type WatchRound } from '../entry/watch.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { parseCount, parseTime } from './parse-time.js';
import { WATCH_COMMAND } from './watch-options.js';

export interface WatchContext {
  io: CliIO;
  signal: AbortSignal;
  commandLine: string;
}

export async function runWatch(argv: string[], ctx: WatchContext): Promise<number> {
  const { io } = ctx;
  const cli = parseCommandLine(WATCH_COMMAND, argv);
  cli.scan.verbose = cli.verbose;
  if (cli.help) {
    io.stdout.write(renderHelp(WATCH_COMMAND));
    return 0;
  }
  if (cli.outputs.length) throw new OptionError('watch writes no scan output files (-oN/-oX/-oG/-oJ/-oA): use --jsonl, or portscope history and diff');
  const targets = cli.scan.targets ?? [];
  if (targets.length === 0) throw new OptionError('watch needs at least one TARGET');
  const every = cli.every;
  if (every === undefined) throw new OptionError('watch needs --every TIME (e.g. --every 1h)');
  const everyMs = parseTime('--every', every);
  if (everyMs < 1000) throw new OptionError(`--every ${every} is too short: at least 1s`);
  const format = cli.webhookFormat ?? 'generic';
  if (format !== 'generic' && format !== 'slack') throw new OptionError(`invalid --webhook-format "${format}": use generic or slack`);
  if (cli.webhookFormat !== undefined && cli.webhook === undefined) throw new OptionError('--webhook-format needs --webhook URL');
  const hook = cli.webhook;
  if (hook !== undefined && !/^https?:\/\/[^\s]+$/i.test(hook)) throw new OptionError(`invalid --webhook "${redactUrl(hook)}": use an http:// or https:// URL`);
  const jsonl = cli.jsonl;
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
  if (cli.db !== undefined) opts.db = cli.db;
  if (cli.rounds !== undefined) opts.rounds = parseCount('--rounds', cli.rounds, 1, 1_000_000);
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
    const body = formatDiffText(r.diff)
      .split('\n')
      .slice(2)
      .map((l) => (l ? `  ${l}` : l))
      .join('\n');
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

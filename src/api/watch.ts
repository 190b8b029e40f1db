/**
 * `watch`: scan on a schedule, store every scan, diff it against the previous one of the same schedule and
 * report changes (callback, webhook with retries). The schedule and its last scan live in the database, so
 * a restarted watch with the same targets and options continues where it stopped.
 */
import type { HostReport, ScanStart, ScanSummary } from '../model/index.js';
import { diffScans, type ScanDiff } from '../history/diff-model.js';
import { webhookBody, type WebhookFormat } from '../output/diff-webhook.js';
import { HistoryStore, scanRecordFromRun, type ScheduleRecord } from '../store/index.js';
import { scan, type ScanOptions } from './scan.js';
import { checkWebhookUrl, postWithRetry, redactIn, redactUrl, type DeliveryResult, type WebhookDelivery } from './webhook.js';
export { postWithRetry, redactUrl } from './webhook.js';

export interface WebhookOptions extends WebhookDelivery {
  format: WebhookFormat;
}

export interface WatchOptions {
  targets: string[];
  /** Scan options besides targets (ports, timing…), as for scan(). */
  scan?: Omit<ScanOptions, 'targets' | 'signal' | 'resolver'>;
  everyMs: number;
  db?: string;
  env?: NodeJS.ProcessEnv;
  /** Stop after this many rounds (default: until the signal aborts). */
  rounds?: number;
  signal?: AbortSignal;
  webhook?: WebhookOptions;
  /**
   * Called once per round, in round order. A round whose changes go to a webhook is reported when the
   * delivery ends (with its result); deliveries run beside the schedule, so the next scan does not wait.
   */
  onRound?: (round: WatchRound) => void | Promise<void>;
  onWebhookError?: (message: string) => void;
}

export interface WatchRound {
  scheduleId: number;
  scanId: number;
  at: number;
  /** The scan this one was compared with; absent on the schedule's first scan (the baseline). */
  previousScanId?: number;
  diff: ScanDiff | null;
  nextRunAt: number;
  webhook?: DeliveryResult;
}

export async function watch(opts: WatchOptions): Promise<number> {
  // A malformed URL is refused before the first scan, not found after the first change.
  if (opts.webhook) checkWebhookUrl(opts.webhook.url);
  const hookUrl = opts.webhook?.url ?? '';
  // The command line is stored with each scan and appears in diffs and --jsonl: never with the hook's secrets.
  const commandLine = opts.scan?.commandLine;
  if (commandLine !== undefined && hookUrl) opts = { ...opts, scan: { ...opts.scan, commandLine: redactIn(commandLine, hookUrl) } };
  const store = await HistoryStore.open(opts.db, opts.env);
  let rounds = 0;
  let reported: Promise<unknown> = Promise.resolve();
  let reportFailure: { err: unknown } | undefined;
  try {
    let schedule = await store.ensureSchedule({ key: scheduleKey(opts), targets: opts.targets, options: { ...(opts.scan ?? {}) }, everyMs: opts.everyMs }, Date.now());
    while (!opts.signal?.aborted && (opts.rounds === undefined || rounds < opts.rounds)) {
      await sleepUntil(schedule.nextRunAt, opts.signal);
      if (opts.signal?.aborted) break;
      const result = await runOnce(opts);
      // A scan cut short by the user is not stored: it would report every unscanned port as gone.
      if (result === null || opts.signal?.aborted) break;
      const rec = scanRecordFromRun(result.start, result.hosts, result.summary, 'watch');
      rec.scheduleId = schedule.id;
      const nextRunAt = nextRun(schedule, Date.now());
      const scanId = await store.saveScan(rec, { schedule: { id: schedule.id, nextRunAt } });
      rec.id = scanId;
      const round: WatchRound = { scheduleId: schedule.id, scanId, at: rec.startedAt, diff: null, nextRunAt };
      if (schedule.lastScanId !== undefined) {
        round.previousScanId = schedule.lastScanId;
        round.diff = diffScans(await store.loadScan(schedule.lastScanId), rec);
      }
      schedule = { ...schedule, lastScanId: scanId, nextRunAt };
      rounds++;
      let delivered: Promise<void> = Promise.resolve();
      if (round.diff?.changed && opts.webhook) {
        const hook = opts.webhook;
        const body = webhookBody(hook.format, round.diff, { scheduleId: schedule.id, targets: opts.targets, everyMs: opts.everyMs, scanId, previousScanId: round.previousScanId! });
        // Not awaited here: a slow or hanging hook must not hold back the next round's scan.
        delivered = postWithRetry(hook, body, opts.signal).then((result) => {
          round.webhook = result;
          if (!result.delivered) opts.onWebhookError?.(`webhook ${redactUrl(hook.url)} failed after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.error}`);
        });
      }
      // Reports stay in round order: a round is reported once its delivery (if any) and earlier reports are done.
      reported = Promise.all([reported, delivered])
        .then(() => opts.onRound?.(round))
        .catch((err: unknown) => void (reportFailure ??= { err }));
      if (reportFailure) break;
    }
    await reported;
    // A report that failed (a --jsonl file that cannot be written) ends the watch, as it did when reports were inline.
    if (reportFailure) throw (reportFailure as { err: unknown }).err;
  } finally {
    await store.close();
  }
  return rounds;
}

/** Same targets and scan options → same schedule; the interval is not part of it (it may be changed). */
export function scheduleKey(opts: Pick<WatchOptions, 'targets' | 'scan'>): string {
  const o = (opts.scan ?? {}) as Record<string, unknown>;
  const sorted = Object.fromEntries(
    Object.keys(o)
      .filter((k) => o[k] !== undefined && k !== 'commandLine')
      .sort()
      .map((k) => [k, o[k]]),
  );
  return JSON.stringify({ targets: opts.targets, scan: sorted });
}

/** The next due time after `now` on the schedule's grid: missed rounds (the watch was down) are skipped. */
function nextRun(s: ScheduleRecord, now: number): number {
  let next = s.nextRunAt + s.everyMs;
  if (next <= now) next += Math.ceil((now - next) / s.everyMs) * s.everyMs;
  return next <= now ? now + s.everyMs : next;
}

async function runOnce(opts: WatchOptions): Promise<{ start: ScanStart; hosts: HostReport[]; summary?: ScanSummary } | null> {
  const scanOpts: ScanOptions = { ...(opts.scan ?? {}), targets: opts.targets };
  if (opts.signal) scanOpts.signal = opts.signal;
  const run = scan(scanOpts);
  let start: ScanStart | null = null;
  const hosts: HostReport[] = [];
  let summary: ScanSummary | undefined;
  for await (const ev of run) {
    if (ev.kind === 'start') start = ev.start;
    else if (ev.kind === 'host') hosts.push(ev.host);
    else if (ev.kind === 'end') summary = ev.summary;
  }
  if (!start || summary?.interrupted) return null;
  return summary ? { start, hosts, summary } : { start, hosts };
}

/** setTimeout's longest delay (a signed 32-bit count of ms); Node fires a longer one at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Resolves at `at` (or on abort): long waits (--every 600h) are a chain of timers of at most MAX_TIMER_MS. */
export function sleepUntil(at: number, signal?: AbortSignal, now: () => number = Date.now): Promise<void> {
  if (at - now() <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let t: NodeJS.Timeout;
    const arm = (): void => {
      const ms = at - now();
      if (ms <= 0) return done();
      t = setTimeout(arm, Math.min(ms, MAX_TIMER_MS));
    };
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
    arm();
  });
}

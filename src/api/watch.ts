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

export interface WebhookOptions {
  url: string;
  format: WebhookFormat;
  /** Retries after the first attempt (default 4), on network errors, 5xx and 429. */
  retries?: number;
  /** First backoff; doubles each retry (default 1000 ms). */
  backoffMs?: number;
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
  webhook?: { delivered: boolean; attempts: number; error?: string };
}

export async function watch(opts: WatchOptions): Promise<number> {
  const store = await HistoryStore.open(opts.db, opts.env);
  let rounds = 0;
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
        if (round.diff.changed && opts.webhook) {
          const body = webhookBody(opts.webhook.format, round.diff, { scheduleId: schedule.id, targets: opts.targets, everyMs: opts.everyMs, scanId, previousScanId: schedule.lastScanId });
          round.webhook = await postWithRetry(opts.webhook, body, opts.signal);
          if (!round.webhook.delivered) opts.onWebhookError?.(`webhook ${opts.webhook.url} failed after ${round.webhook.attempts} attempts: ${round.webhook.error}`);
        }
      }
      schedule = { ...schedule, lastScanId: scanId, nextRunAt };
      rounds++;
      await opts.onRound?.(round);
    }
  } finally {
    await store.close();
  }
  return rounds;
}

/** Same targets and scan options → same schedule; the interval is not part of it (it may be changed). */
export function scheduleKey(opts: Pick<WatchOptions, 'targets' | 'scan'>): string {
  const o = (opts.scan ?? {}) as Record<string, unknown>;
  const sorted = Object.fromEntries(Object.keys(o).filter((k) => o[k] !== undefined && k !== 'commandLine').sort().map((k) => [k, o[k]]));
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

function sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
  const ms = at - Date.now();
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** POST with exponential backoff: network errors, 5xx and 429 are retried; other 4xx are final. */
export async function postWithRetry(hook: WebhookOptions, body: string, signal?: AbortSignal): Promise<{ delivered: boolean; attempts: number; error?: string }> {
  const retries = hook.retries ?? 4;
  const base = hook.backoffMs ?? 1000;
  let error = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    try {
      const res = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { delivered: true, attempts: attempt };
      error = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) return { delivered: false, attempts: attempt, error };
    } catch (err) {
      error = (err as Error).message;
    }
    if (attempt <= retries && !signal?.aborted) await sleepUntil(Date.now() + base * 2 ** (attempt - 1), signal);
  }
  return { delivered: false, attempts: retries + 1, error };
}

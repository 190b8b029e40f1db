import type { ScanSummary } from '../model/index.js';

/** The run's totals, counted up while it runs and closed once in closeSummary. */
export function newSummary(startTime: number): ScanSummary {
  return {
    startTime,
    endTime: 0,
    elapsedMs: 0,
    hostsTotal: 0,
    hostsUp: 0,
    hostsDown: 0,
    probesSent: 0,
    interrupted: false,
    targetProblems: [],
  };
}

/**
 * Stamp the end time and say why the run ended early, if it did: `interruptedBy` is a stop (signal,
 * caller, abort), `fatal` a failure that made going on pointless; the failure's text wins as the message.
 */
export function closeSummary(summary: ScanSummary, interruptedBy: string | undefined, fatal: string | undefined): void {
  const end = Date.now();
  summary.endTime = end;
  summary.elapsedMs = end - summary.startTime;
  if (interruptedBy !== undefined || fatal !== undefined) {
    summary.interrupted = interruptedBy !== undefined;
    summary.exitMessage = fatal ?? interruptedBy;
  }
  if (fatal !== undefined) summary.error = fatal;
}

/** The message for an aborted run: the caller's reason when it gave one, else nmap's plain `Interrupted`. */
export function abortMessage(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (typeof r === 'string') return r;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  return 'Interrupted';
}

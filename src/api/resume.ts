/**
 * `--resume FILE`: what an interrupted scan leaves behind (its command line, the seed of its walk and every
 * host report so far) and how a resumed scan uses it: finished hosts are reported as they were, unfinished
 * hosts are probed only on the ports they had not settled, and their two halves are merged. docs/scale.md.
 */
import { scanFileMaxBytes } from '../input/limits.js';
import { readBoundedText } from '../input/read-bounded.js';
import { FileError, type HostReport, type ScanEvent, type ScanSummary } from '../model/index.js';
import { mergeHostReports } from './merge-results.js';

export interface ResumeState {
  format: 'portscope-resume';
  version: 1;
  /** The `portscope scan` arguments of the interrupted run (without --resume). */
  argv: string[];
  /** The seed its walk used (chosen at random when none was given). */
  seed: number;
  hosts: HostReport[];
}

export function readResumeFile(path: string): ResumeState {
  // Bounded like every file we did not write in this run (docs/input-limits.md): the scan-file limit.
  const text = readBoundedText(path, { what: '--resume file', maxBytes: scanFileMaxBytes(), error: (m) => new FileError(m) });
  let state: ResumeState;
  try {
    state = JSON.parse(text) as ResumeState;
  } catch {
    throw new FileError(`--resume "${path}": not a portscope resume file (invalid JSON)`);
  }
  if (state?.format !== 'portscope-resume' || state.version !== 1 || !Array.isArray(state.argv) || !Array.isArray(state.hosts) || !Number.isInteger(state.seed)) {
    throw new FileError(`--resume "${path}": not a portscope resume file (version 1)`);
  }
  return state;
}

export function resumeStateText(argv: string[], seed: number, hosts: HostReport[]): string {
  const state: ResumeState = { format: 'portscope-resume', version: 1, argv, seed, hosts };
  return JSON.stringify(state) + '\n';
}

export interface ResumeIndex {
  finished: Set<string>;
  /** Per unfinished host: its settled TCP ports (`ports`) and UDP ports (`udpPorts`). */
  settled: Map<string, { ports: Set<number>; udpPorts: Set<number>; upReason: string }>;
  saved: Map<string, HostReport>;
}

/** Hosts to skip and ports already known. A host cut off before any port settled counts as not started. */
export function indexResume(hosts: readonly HostReport[]): ResumeIndex {
  const index: ResumeIndex = { finished: new Set(), settled: new Map(), saved: new Map() };
  for (const h of hosts) {
    if (h.complete) {
      index.finished.add(h.address);
      index.saved.set(h.address, h);
    } else if (h.status === 'up' && h.ports.length > 0) {
      // A report lists settled ports only (a UDP port still unconfirmed, or in flight, is absent): exactly
      // those are not probed again.
      const of = (protocol: string): Set<number> => new Set(h.ports.filter((p) => p.protocol === protocol).map((p) => p.port));
      index.settled.set(h.address, { ports: of('tcp'), udpPorts: of('udp'), upReason: h.statusReason });
      index.saved.set(h.address, h);
    }
  }
  return index;
}

/** The engine's events with the earlier run's hosts put back: finished ones after `start`, halves merged. */
/**
 * Joins a resumed run's events with the saved half: finished hosts are replayed after `start`, a resumed
 * host's two halves are merged, and `end` counts both runs. Synchronous per event, so the async iteration
 * and a forced exit's drain() (second Ctrl-C) give the same output.
 */
export function resumeMapper(index: ResumeIndex): (ev: ScanEvent) => ScanEvent[] {
  const pending = new Map(index.saved);
  return (ev) => {
    if (ev.kind === 'start') {
      const out: ScanEvent[] = [ev];
      for (const address of index.finished) {
        pending.delete(address);
        out.push({ kind: 'host', host: index.saved.get(address)! });
      }
      return out;
    }
    if (ev.kind === 'host' && pending.has(ev.host.address)) {
      const before = pending.get(ev.host.address)!;
      pending.delete(ev.host.address);
      // The earlier half was cut short by definition; the host is complete when this half is.
      return [{ kind: 'host', host: { ...mergeHostReports([before, ev.host]), complete: ev.host.complete } }];
    }
    if (ev.kind === 'end') {
      // Unfinished hosts the engine had nothing left to probe for (their ports all settled) end as they were.
      const out: ScanEvent[] = [...pending.values()].map((host) => ({ kind: 'host', host: { ...host, complete: !ev.summary.interrupted } }));
      pending.clear();
      out.push({ kind: 'end', summary: countResumed(ev.summary, index) });
      return out;
    }
    return [ev];
  };
}

export async function* withResumed(events: AsyncIterable<ScanEvent>, map: (ev: ScanEvent) => ScanEvent[]): AsyncGenerator<ScanEvent> {
  for await (const ev of events) yield* map(ev);
}

function countResumed(summary: ScanSummary, index: ResumeIndex): ScanSummary {
  let up = 0;
  for (const a of index.finished) if (index.saved.get(a)!.status === 'up') up++;
  return { ...summary, hostsTotal: summary.hostsTotal + index.finished.size, hostsUp: summary.hostsUp + up, hostsDown: summary.hostsDown + index.finished.size - up };
}

import type { HostReport, ScanStart, ScanSummary, TargetProblem } from '../model/index.js';

/** Options every output format receives; formats ignore what they do not use. */
export interface OutputOptions {
  /** --open: list only open (and open|filtered) ports. */
  openOnly: boolean;
  /** --reason: add a REASON column / always write reasons. */
  reason: boolean;
  /** -v level. */
  verbose: number;
  /** Colour allowed (only ever for the terminal normal output). */
  color: boolean;
  /**
   * The interactive view on a terminal rather than an output file: nmap prints "Starting Nmap … at …" and
   * "Nmap done: …" on screen but "# Nmap … scan initiated … as: …" and "# Nmap done at …" in -oN files,
   * and leaves target errors to stderr on screen. Only the normal format reads it; default false (file form).
   */
  screen?: boolean;
}

/**
 * An output format: pure functions from scan events to text. The CLI writes the returned strings to the
 * file or stdout; a format never does I/O. `end` must always produce a complete, valid document, also after
 * an interrupted scan (summary.interrupted).
 */
export interface OutputWriter {
  start(start: ScanStart): string;
  host(host: HostReport): string;
  targetProblem(problem: TargetProblem): string;
  end(summary: ScanSummary): string;
}

export type OutputFactory = (options: OutputOptions) => OutputWriter;

/** The shape of a line of the command table (in main.ts). */
import type { CliIO } from './io.js';
import type { AnyCommandSpec } from './options/types.js';

export interface RunContext {
  io: CliIO;
  /** Aborted by the process's SIGINT/SIGTERM handler, with the reason as message. */
  signal: AbortSignal;
  commandLine: string;
  /**
   * Register what must happen synchronously before the process exits on a second SIGINT/SIGTERM: the scan
   * writes every output's remaining events and its closing part, so the files stay complete and valid.
   */
  onForcedExit?: (finish: () => void) => void;
}

export interface CommandEntry {
  name: string;
  aliases?: readonly string[];
  /** One line in `portscope --help`. */
  summary: string;
  run: (argv: string[], ctx: RunContext) => Promise<number>;
  /** The command's option table (absent: the command documents its own arguments). */
  spec?: () => Promise<AnyCommandSpec>;
}

/**
 * One declarative table per command: every option's names, argument, help text and group, and what it does to
 * the command's parsed state. The parser (parse.ts), `--help` (help.ts), the man page and the shell
 * completions (docs.ts) are all generated from these tables: adding an option is one table entry.
 */

export interface OptionSpec<S> {
  /** Every spelling, short first: `-p`, `--port`. */
  readonly names: readonly string[];
  /** The argument's name in help (`FILE`, `N`, `TIME`); absent for a flag that takes no value. */
  readonly arg?: string;
  /** One line or more (`\n`) of help; the first line should stand alone in completions. */
  readonly help: string;
  /** The help section it is listed under. */
  readonly group: string;
  /** How help lists it when its names alone would mislead (`-T0..-T5`, `-v, -vv`). */
  readonly display?: string;
  /** Values the argument takes, for completions (`--format text|json…`). */
  readonly choices?: readonly string[];
  /** A value may be attached to a one-dash name: `-p22`, `-T4`, `-oXfile` (nmap style, and `-o FILE`). */
  readonly attached?: boolean;
  /** Parsed but not listed (`-sTU`, nmap's spellings of options that help lists once). */
  readonly hidden?: boolean;
  readonly apply: (state: S, value: string, name: string) => void;
}

export interface CommandSpec<S> {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** `Usage:` lines after `portscope NAME ` (`[options] TARGET...`). */
  readonly usage: readonly string[];
  /** Paragraph(s) between the usage and the options. */
  readonly description: string;
  /**
   * `nmap`: getopt_long_only as nmap uses it (`-p22`, `-sTU`, `-vv`, `-v3`, `-min-rate 5`, values may begin
   * with `-` as in `-p -100`). `posix`: util.parseArgs' grammar (`--opt VALUE`, `--opt=VALUE`, `-o VALUE`); a
   * value may not look like an option, so a forgotten value is reported instead of swallowing the next flag.
   */
  readonly style: 'nmap' | 'posix';
  /** Section order in help (sections not listed follow in table order). */
  readonly groups?: readonly string[];
  readonly options: readonly OptionSpec<S>[];
  /** What a non-option argument is; absent: the command takes none. */
  readonly operand?: {
    readonly name: string;
    /** Listed first in its help section when given. */
    readonly help?: string;
    readonly group?: string;
    readonly apply: (state: S, value: string) => void;
  };
  /** Text after the options (exit status, examples). */
  readonly footer?: string;
  /** nmap style: what an unknown spelling means before "unknown option" (e.g. -sS, -O). */
  readonly special?: (state: S, arg: string) => boolean;
  readonly init: () => S;
}

/** A command table without its state type: what help, man and completion generators read. */
// biome-ignore lint/suspicious/noExplicitAny: the generators read names and text only
export type AnyCommandSpec = CommandSpec<any>;

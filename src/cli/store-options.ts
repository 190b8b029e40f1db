/** Option tables of history and import (diff's: diff-options.ts; see options/types.ts). */
import type { CommandSpec, OptionSpec } from './options/types.js';

export interface StoreCli {
  db?: string;
  json: boolean;
  /** diff: a DIFF_FORMATS name (default text). */
  format: string;
  audits: boolean;
  help: boolean;
  operands: string[];
}

type Opt = OptionSpec<StoreCli>;
export const OPTIONS = 'Options:';
export const init = (): StoreCli => ({ json: false, format: 'text', audits: false, help: false, operands: [] });
export const operand = (name: string) => ({ name, apply: (c: StoreCli, v: string) => void c.operands.push(v) });
export const db = (help: string): Opt => ({ names: ['--db'], arg: 'PATH', group: OPTIONS, help, apply: (c, v) => (c.db = v) });
const json = (help: string): Opt => ({ names: ['--json'], group: OPTIONS, help, apply: (c) => (c.json = true) });
export const help: Opt = { names: ['-h', '--help'], group: OPTIONS, help: 'this help', apply: (c) => (c.help = true) };

export const HISTORY_COMMAND: CommandSpec<StoreCli> = {
  name: 'history',
  usage: ['[--db PATH|postgres://…] [--json] [TARGET]', '--audits [--db PATH|postgres://…] [--json]'],
  description: `Without TARGET: every stored scan with its id (for portscope diff ID ID).
With TARGET (an address or a stored hostname): per port of that host, when it was first and last seen
open, its current state and every change of state between scans.
With --audits: every stored audit (portscope audit --save) with its id (for portscope diff --audit ID ID),
policy, audited hosts and finding counts by severity.`,
  style: 'posix',
  options: [
    db('history database: a SQLite file or a postgres:// URL\n(default: $PORTSCOPE_DB, else $XDG_DATA_HOME/portscope/history.db, ~/.local/share/…)'),
    { names: ['--audits'], group: OPTIONS, help: 'stored audits instead of scans', apply: (c) => (c.audits = true) },
    json('JSON instead of the table'),
    help,
  ],
  operand: operand('TARGET'),
  init,
};

export const IMPORT_COMMAND: CommandSpec<StoreCli> = {
  name: 'import',
  usage: ['[--db PATH|postgres://…] FILE...'],
  description: `Store scan files in the history: nmap XML (nmap -oX), portscope XML (-oX) or JSON (-oJ). Every file is
checked first: a bad or truncated file is named with its line:column and nothing is imported.`,
  style: 'posix',
  options: [db('history database: a SQLite file or a postgres:// URL (default as portscope history)'), help],
  operand: operand('FILE'),
  init,
};

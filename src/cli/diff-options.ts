import { DIFF_FORMATS } from '../entry/diff.js';
import type { CommandSpec, OptionSpec } from './options/types.js';
import { db, help, init, OPTIONS, operand, type StoreCli } from './store-options.js';

/** `portscope diff`: its format options come from DIFF_FORMATS (AUDIT_DIFF_FORMATS has the same names). */
export const DIFF_COMMAND: CommandSpec<StoreCli> = {
  name: 'diff',
  usage: ['[--db PATH|postgres://…] [--json] A B', '--audit [--db PATH|postgres://…] [--json] A B'],
  description: `Compare two scans: stored scan ids (see portscope history) or files: nmap or portscope XML (-oX),
portscope JSON (-oJ). Lists new, gone and changed ports (state, service, product, version).
With --audit, A and B are stored audit ids (see portscope history --audits): lists new, resolved,
changed-severity and unchanged findings, matched by their fingerprint.`,
  style: 'posix',
  options: [
    { names: ['--audit'], group: OPTIONS, help: 'A and B are audit ids (audit and scan ids are numbered separately)', apply: (c) => (c.audits = true) },
    db('history database for ids (default as portscope history)'),
    // One flag per format that has one (DIFF_FORMATS: --json); text is the default.
    ...DIFF_FORMATS.filter((f) => f.flag !== undefined).map((f): OptionSpec<StoreCli> => ({ names: [f.flag!], group: OPTIONS, help: `${f.help} instead of text`, apply: (c) => (c.format = f.name) })),
    help,
  ],
  operand: operand('A B'),
  init,
  footer: 'Exit status: 0 no change, 1 something changed, 2 error (as diff(1)).',
};

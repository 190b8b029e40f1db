/** `portscope diff [--db PATH] [--json] A B`: exit 0 no change, 1 changed, 2 error (as diff(1)). */
import { AUDIT_DIFF_FORMATS, DIFF_FORMATS, diff, diffStoredAudits, formatNamed, OptionError } from '../entry/diff.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { DIFF_COMMAND } from './diff-options.js';

export async function runDiff(argv: string[], io: CliIO): Promise<number> {
  const cli = parseCommandLine(DIFF_COMMAND, argv);
  const positional = cli.operands;
  const format = cli.format;
  if (cli.help) {
    io.stdout.write(renderHelp(DIFF_COMMAND));
    return 0;
  }
  if (cli.audits && positional.length !== 2) throw new OptionError('diff --audit needs two audit ids: A B (see portscope history --audits)');
  if (positional.length !== 2) throw new OptionError('diff needs two scans: A B (scan ids or XML/JSON files)');
  const opts: Parameters<typeof diff>[0] = { a: positional[0]!, b: positional[1]!, env: io.env };
  if (cli.db !== undefined) opts.db = cli.db;
  if (cli.audits) {
    const ad = await diffStoredAudits(opts);
    io.stdout.write(formatNamed(AUDIT_DIFF_FORMATS, format).render(ad));
    return ad.changed ? 1 : 0;
  }
  const d = await diff(opts);
  io.stdout.write(formatNamed(DIFF_FORMATS, format).render(d));
  return d.changed ? 1 : 0;
}

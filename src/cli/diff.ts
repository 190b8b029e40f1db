/** `portscope diff [--db PATH] [--json] A B`: exit 0 no change, 1 changed, 2 error (as diff(1)). */
import { diff, diffStoredAudits } from '../api/diff.js';
import { formatAuditDiffJson, formatAuditDiffText } from '../output/diff-audit-text.js';
import { OptionError } from '../model/index.js';
import { formatDiffJson } from '../output/diff-json.js';
import { formatDiffText } from '../output/diff-text.js';
import { parseCommandArgs } from './history.js';
import type { CliIO } from './io.js';

const HELP = `Usage: portscope diff [--db PATH|postgres://…] [--json] A B
       portscope diff --audit [--db PATH|postgres://…] [--json] A B

Compare two scans: stored scan ids (see portscope history) or files: nmap or portscope XML (-oX),
portscope JSON (-oJ). Lists new, gone and changed ports (state, service, product, version).
With --audit, A and B are stored audit ids (see portscope history --audits): lists new, resolved,
changed-severity and unchanged findings, matched by their fingerprint.

  --audit       A and B are audit ids (audit and scan ids are numbered separately)
  --db PATH     history database for ids (default as portscope history)
  --json        one JSON document instead of text

Exit status: 0 no change, 1 something changed, 2 error (as diff(1)).
`;

export async function runDiff(argv: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseCommandArgs(argv, { '--db': 'value', '--json': 'bool', '--audit': 'bool', '-h': 'bool', '--help': 'bool' }, 'diff');
  if (flags.has('-h') || flags.has('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  if (flags.has('--audit') && positional.length !== 2) throw new OptionError('diff --audit needs two audit ids: A B (see portscope history --audits)');
  if (positional.length !== 2) throw new OptionError('diff needs two scans: A B (scan ids or XML/JSON files)');
  const opts: Parameters<typeof diff>[0] = { a: positional[0]!, b: positional[1]!, env: io.env };
  if (flags.has('--db')) opts.db = flags.get('--db')!;
  if (flags.has('--audit')) {
    const ad = await diffStoredAudits(opts);
    io.stdout.write(flags.has('--json') ? formatAuditDiffJson(ad) : formatAuditDiffText(ad));
    return ad.changed ? 1 : 0;
  }
  const d = await diff(opts);
  io.stdout.write(flags.has('--json') ? formatDiffJson(d) : formatDiffText(d));
  return d.changed ? 1 : 0;
}

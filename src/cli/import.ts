/** `portscope import [--db PATH] FILE…`: nmap/portscope XML or portscope JSON into the history. */
import { importScans } from '../api/import.js';
import { escapeTerminalText, OptionError } from '../model/index.js';
import { parseCommandArgs } from './history.js';
import type { CliIO } from './io.js';

const HELP = `Usage: portscope import [--db PATH|postgres://…] FILE...

Store scan files in the history: nmap XML (nmap -oX), portscope XML (-oX) or JSON (-oJ). Every file is
checked first: a bad or truncated file is named with its line:column and nothing is imported.
`;

export async function runImport(argv: string[], io: CliIO): Promise<number> {
  const { flags, positional } = parseCommandArgs(argv, { '--db': 'value', '-h': 'bool', '--help': 'bool' }, 'import');
  if (flags.has('-h') || flags.has('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positional.length === 0) throw new OptionError('import needs at least one FILE');
  const opts: Parameters<typeof importScans>[0] = { files: positional, env: io.env };
  if (flags.has('--db')) opts.db = flags.get('--db')!;
  for (const r of await importScans(opts)) io.stdout.write(`imported ${escapeTerminalText(r.file)} as scan #${r.id} (${r.hosts} hosts, ${r.ports} ports)\n`);
  return 0;
}

/** `portscope import [--db PATH] FILE…`: nmap/portscope XML or portscope JSON into the history. */
import { escapeTerminalText, importScans, OptionError } from '../entry/import.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { IMPORT_COMMAND } from './store-options.js';

export async function runImport(argv: string[], io: CliIO): Promise<number> {
  const cli = parseCommandLine(IMPORT_COMMAND, argv);
  const positional = cli.operands;
  if (cli.help) {
    io.stdout.write(renderHelp(IMPORT_COMMAND));
    return 0;
  }
  if (positional.length === 0) throw new OptionError('import needs at least one FILE');
  const opts: Parameters<typeof importScans>[0] = { files: positional, env: io.env };
  if (cli.db !== undefined) opts.db = cli.db;
  for (const r of await importScans(opts)) io.stdout.write(`imported ${escapeTerminalText(r.file)} as scan #${r.id} (${r.hosts} hosts, ${r.ports} ports)\n`);
  return 0;
}

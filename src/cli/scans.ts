/** `portscope scans --db URL [--json]`: distributed scans with their state (docs/fleet.md). */
import { escapeTerminalText, listDistributedScans, OptionError, PortscopeError } from '../entry/fleet.js';
import { SCANS_COMMAND } from './fleet-options.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';

export async function runScans(argv: string[], io: CliIO): Promise<number> {
  try {
    const cli = parseCommandLine(SCANS_COMMAND, argv);
    if (cli.help) {
      io.stdout.write(renderHelp(SCANS_COMMAND));
      return 0;
    }
    const db = cli.db ?? (io.env.PORTSCOPE_DB || undefined);
    const json = cli.json;
    if (db === undefined) throw new OptionError('scans needs --db postgres://… (or $PORTSCOPE_DB)');
    const rows = await listDistributedScans({ db, env: io.env });
    if (json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${['ID', 'STATE', 'SHARDS', 'STARTED', 'VANTAGES', 'HISTORY', 'COMMAND'].join('\t')}\n`);
    for (const r of rows) {
      const args = escapeTerminalText(r.args);
      const hist = r.historyScanIds
        ? Object.values(r.historyScanIds)
            .map((n) => `#${n}`)
            .join(',')
        : '-';
      io.stdout.write(`${[r.id, r.state, `${r.done}/${r.shards}`, new Date(r.createdAt).toISOString(), r.vantages.map((v) => v || 'any').join(','), hist, args].join('\t')}\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

/** `portscope scans --db URL [--json]`: distributed scans with their state (docs/fleet.md). */
import { listDistributedScans } from '../api/distribute.js';
import { OptionError, PortscopeError } from '../model/index.js';
import type { CliIO } from './io.js';
import { optionTokens } from './option-tokens.js';
import { terminalSafe } from './terminal-safe.js';

export const SCANS_HELP = `Usage: portscope scans --db postgres://… [--json]

Distributed scans (portscope scan --distribute) with their state: running, done, failed, cancelled.
Follow one with portscope scan --attach ID, stop one with portscope scan --cancel ID.
`;

export async function runScans(argv: string[], io: CliIO): Promise<number> {
  let db = io.env.PORTSCOPE_DB || undefined;
  let json = false;
  try {
    for (const { arg, value } of optionTokens(argv, new Set(['--db']))) {
      if (arg === '-h' || arg === '--help') {
        io.stdout.write(SCANS_HELP);
        return 0;
      }
      if (arg === '--db') db = value!;
      else if (arg === '--json') json = true;
      else throw new OptionError(`scans: unknown option "${arg}" (see portscope scans --help)`);
    }
    if (db === undefined) throw new OptionError('scans needs --db postgres://… (or $PORTSCOPE_DB)');
    const rows = await listDistributedScans({ db, env: io.env });
    if (json) {
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${['ID', 'STATE', 'SHARDS', 'STARTED', 'VANTAGES', 'HISTORY', 'COMMAND'].join('\t')}\n`);
    for (const r of rows) {
      const args = terminalSafe(r.args);
      const hist = r.historyScanIds ? Object.values(r.historyScanIds).map((n) => `#${n}`).join(',') : '-';
      io.stdout.write(`${[r.id, r.state, `${r.done}/${r.shards}`, new Date(r.createdAt).toISOString(), r.vantages.map((v) => v || 'any').join(','), hist, args].join('\t')}\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

import { existsSync } from 'node:fs';
import { AUDIT_FORMATS, audit, FINDING_DOCS, FileError, formatNamed, loadPolicyFile, OptionError, PortscopeError, starterPolicy, type AuditOptions, type AuditResult, type LoadedPolicy } from '../entry/audit.js';
import { AUDIT_COMMAND, type AuditCli } from './audit-options.js';
import type { CliIO } from './io.js';
import { writeReplacing } from './write-file.js';
import { parseCommandLine } from './options/parse.js';
import { renderHelp } from './options/help.js';

export type { AuditCli } from './audit-options.js';

export function parseAuditArgs(argv: readonly string[]): AuditCli {
  const cli = parseCommandLine(AUDIT_COMMAND, argv);
  if (cli.init && cli.policy === undefined) throw new OptionError('--init needs --policy FILE (where to write the starter policy)');
  if (cli.save && cli.init) throw new OptionError('--save/--db do not apply to --init (it writes a policy, not a report)');
  if (cli.force && !cli.init) throw new OptionError('--force only applies to --init');
  if (cli.ports !== undefined && cli.topPorts !== undefined) throw new OptionError('-p and --top-ports cannot be combined');
  return cli;
}

/** Kept for callers of the old name: see write-file.ts (atomic for regular files, write-through otherwise). */
export const writeAtomic = writeReplacing;

/**
 * The report is complete before this runs (as scan --save): a history that cannot be written costs one
 * error line and exit 2. The policy's hash is of the text the audit evaluated (LoadedPolicy.sha256), not of
 * the file as it is now: an edit after the audit read it must not be recorded as what was checked.
 */
async function saveAudit(result: AuditResult, policy: LoadedPolicy | null, cli: AuditCli, argv: readonly string[], io: CliIO, exitCode: number): Promise<number> {
  try {
    const policyHash = policy?.sha256 ?? null;
    const opts: { db?: string; env: NodeJS.ProcessEnv } = { env: io.env };
    if (cli.db !== undefined) opts.db = cli.db;
    const args = ['portscope', 'audit', ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
    // Loaded only with --save: the database drivers are not every audit's start-up cost.
    const r = await (await import('../entry/history.js')).saveAuditRun(result, { args, policyHash }, opts);
    io.stderr.write(`portscope: saved as audit #${r.id}${r.scanId !== undefined ? ` (outside scan as scan #${r.scanId})` : ''} in ${r.db}\n`);
    return exitCode;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

/** `portscope audit`: 0 clean, 1 findings at or above --fail-on, 2 usage or policy error. */
export async function runAudit(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  try {
    const cli = parseAuditArgs(argv);
    if (cli.help) {
      io.stdout.write(renderHelp(AUDIT_COMMAND));
      return 0;
    }
    if (cli.fleet) return await (await import('./fleet-audit.js')).runFleetAudit(cli, io);
    if (cli.days !== undefined) throw new OptionError('--days only applies to --fleet');
    if (cli.init && existsSync(cli.policy!) && !cli.force) throw new FileError(`${cli.policy}: exists; not overwriting it (use --force)`);
    const policy = cli.policy !== undefined && !cli.init ? loadPolicyFile(cli.policy) : null;
    const options: AuditOptions = { policy, targets: cli.targets, noScan: cli.noScan, failOn: cli.failOn, signal };
    if (cli.local) options.local = true;
    if (cli.ports !== undefined) options.ports = cli.ports;
    if (cli.topPorts !== undefined) options.topPorts = cli.topPorts;
    if (cli.template !== undefined) options.template = cli.template;
    if (cli.maxRetries !== undefined) options.maxRetries = cli.maxRetries;
    const result = await audit(options);
    if (signal.aborted) {
      // A cut-short scan would report open ports as missing: no verdict, no policy written.
      io.stderr.write(`portscope: audit ${String(signal.reason)}; no report written\n`);
      return String(signal.reason).includes('SIGTERM') ? 143 : 130;
    }
    if (cli.init) {
      const text = starterPolicy(result.views, new Date());
      writeAtomic(cli.policy!, text);
      const rules = text.split('\n').filter((l) => /^\s+- (port|finding|match):/.test(l)).length;
      io.stderr.write(`portscope: wrote a starter policy to ${cli.policy} (${rules} rules). Review it, then: portscope audit --policy ${cli.policy}\n`);
      return 0;
    }
    const text = formatNamed(AUDIT_FORMATS, cli.format).render(result.report, FINDING_DOCS);
    if (cli.output !== undefined && cli.output !== '-') writeAtomic(cli.output, text);
    else io.stdout.write(text);
    const exitCode = result.report.summary.failed ? 1 : 0;
    return cli.save ? await saveAudit(result, policy, cli, argv, io, exitCode) : exitCode;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

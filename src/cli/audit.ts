import { optionTokens } from './option-tokens.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { audit, type AuditOptions, type AuditResult } from '../api/audit.js';
import { loadPolicyFile } from '../audit/policy-load.js';
import { starterPolicy } from '../audit/init-policy.js';
import { SEVERITIES, type AuditReport, type Severity } from '../audit/report-schema.js';
import { FileError, OptionError, PortscopeError } from '../model/index.js';
import { renderAuditHtml } from '../output/audit-html.js';
import { renderAuditJson } from '../output/audit-json.js';
import { renderAuditJunit } from '../output/audit-junit.js';
import { renderAuditSarif } from '../output/audit-sarif.js';
import { renderAuditText } from '../output/audit-text.js';
import type { CliIO } from './io.js';
import { writeReplacing } from './write-file.js';

export const AUDIT_HELP = `Usage: portscope audit [options] [TARGET...]

Should this port be open? Joins this machine's listening sockets (inside view) with a TCP scan of its own
non-loopback addresses (outside view, run from this machine) and checks both against a policy. Given
TARGETs, audits those hosts by scan alone. Policy reference and finding types: docs/audit.md.

Policy:
  --policy FILE          the policy (YAML; schema docs/schema/policy.schema.json). Without it every
                         listening or open port is a finding.
  --init                 write a starter policy from the current state to --policy FILE (auditing right
                         after it is clean); refuses to overwrite an existing file
  --force                with --init: overwrite FILE

Result:
  --fail-on SEVERITY     exit 1 when a finding has this severity or higher: info, low (default), medium,
                         high, critical
  --format FORMAT        text (default), json, sarif (SARIF 2.1.0), junit (JUnit XML), html (one file)
  -o FILE                write the report to FILE instead of stdout
  --save                 store the audit, its findings and its outside scan in the history database
                         after the report is written (docs/history.md); see portscope history --audits
  --db PATH              history database: a SQLite file or a postgres:// URL (implies --save)

Scope and scan:
  --local                also audit this machine when TARGETs are given (default: only without TARGETs)
  --no-scan              no outside scan of this machine: judge exposure from bindings alone
  -p SPEC                ports to scan besides those the policy and the listeners name (default: the 1000
                         most common TCP ports); nmap syntax, e.g. 1-1024,8080
  --top-ports N          the N most common TCP ports instead
  -T0..-T5               timing template (as portscope scan)
  --max-retries N        retries per port (as portscope scan)
  -h, --help             this help

Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 bad option or policy
(one line naming file:line:column), or the report was written but --save failed; 130/143 interrupted
(no report).
`;

type Format = 'text' | 'json' | 'sarif' | 'junit' | 'html';
const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'html'];
const VALUE_OPTIONS = new Set(['--policy', '--fail-on', '--format', '-o', '-p', '--top-ports', '--max-retries', '--db']);

export interface AuditCli {
  policy?: string;
  init: boolean;
  force: boolean;
  failOn: Severity;
  format: Format;
  output?: string;
  local?: boolean;
  noScan: boolean;
  ports?: string;
  topPorts?: number;
  template?: number;
  maxRetries?: number;
  targets: string[];
  help: boolean;
  /** --save (or --db): store the audit in the history database after the report is written. */
  save: boolean;
  db?: string;
}

export function parseAuditArgs(argv: readonly string[]): AuditCli {
  const cli: AuditCli = { init: false, force: false, failOn: 'low', format: 'text', noScan: false, targets: [], help: false, save: false };
  for (const { arg, value } of optionTokens(argv, VALUE_OPTIONS)) {
    const m = /^-T([0-5])$/.exec(arg);
    if (m) {
      cli.template = Number(m[1]);
      continue;
    }
    switch (arg) {
      case '-h': case '--help': cli.help = true; break;
      case '--policy': cli.policy = value!; break;
      case '--init': cli.init = true; break;
      case '--force': cli.force = true; break;
      case '--fail-on':
        if (!(SEVERITIES as readonly string[]).includes(value!)) throw new OptionError(`--fail-on: "${value}" is not a severity (${SEVERITIES.join(', ')})`);
        cli.failOn = value as Severity;
        break;
      case '--format':
        if (!(FORMATS as readonly string[]).includes(value!)) throw new OptionError(`--format: "${value}" is not a format (${FORMATS.join(', ')})`);
        cli.format = value as Format;
        break;
      case '-o': cli.output = value!; break;
      case '--save': cli.save = true; break;
      case '--db': cli.db = value!; cli.save = true; break;
      case '--local': cli.local = true; break;
      case '--no-scan': cli.noScan = true; break;
      case '-p': cli.ports = value!; break;
      case '--top-ports': cli.topPorts = count(arg, value!, 1, 65535); break;
      case '--max-retries': cli.maxRetries = count(arg, value!, 0, 50); break;
      default:
        if (arg.startsWith('-')) throw new OptionError(`audit: unknown option "${arg}" (see portscope audit --help)`);
        cli.targets.push(arg);
    }
  }
  if (cli.init && cli.policy === undefined) throw new OptionError('--init needs --policy FILE (where to write the starter policy)');
  if (cli.save && cli.init) throw new OptionError('--save/--db do not apply to --init (it writes a policy, not a report)');
  if (cli.force && !cli.init) throw new OptionError('--force only applies to --init');
  if (cli.ports !== undefined && cli.topPorts !== undefined) throw new OptionError('-p and --top-ports cannot be combined');
  return cli;
}

function count(opt: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new OptionError(`${opt}: expected a whole number ${min}-${max}, got "${v}"`);
  return Number(v);
}

/** Kept for callers of the old name: see write-file.ts (atomic for regular files, write-through otherwise). */
export const writeAtomic = writeReplacing;

/**
 * The report is complete before this runs (as scan --save): a history that cannot be written costs one
 * error line and exit 2. The policy's hash is of its bytes now, after the audit read it.
 */
async function saveAudit(result: AuditResult, cli: AuditCli, argv: readonly string[], io: CliIO, exitCode: number): Promise<number> {
  try {
    let policyHash: string | null = null;
    if (cli.policy !== undefined) {
      try {
        policyHash = createHash('sha256').update(readFileSync(cli.policy)).digest('hex');
      } catch (err) {
        throw new FileError(`cannot read "${cli.policy}" to record its hash: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    const opts: { db?: string; env: NodeJS.ProcessEnv } = { env: io.env };
    if (cli.db !== undefined) opts.db = cli.db;
    const args = ['portscope', 'audit', ...argv].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
    // Loaded only with --save: the database drivers are not every audit's start-up cost.
    const r = await (await import('../api/history.js')).saveAuditRun(result, { args, policyHash }, opts);
    io.stderr.write(`portscope: saved as audit #${r.id}${r.scanId !== undefined ? ` (outside scan as scan #${r.scanId})` : ''} in ${r.db}\n`);
    return exitCode;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

const RENDER: Record<Format, (r: AuditReport) => string> = { text: renderAuditText, json: renderAuditJson, sarif: renderAuditSarif, junit: renderAuditJunit, html: renderAuditHtml };

/** `portscope audit`: 0 clean, 1 findings at or above --fail-on, 2 usage or policy error. */
export async function runAudit(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  try {
    const cli = parseAuditArgs(argv);
    if (cli.help) {
      io.stdout.write(AUDIT_HELP);
      return 0;
    }
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
    const text = RENDER[cli.format](result.report);
    if (cli.output !== undefined && cli.output !== '-') writeAtomic(cli.output, text);
    else io.stdout.write(text);
    const exitCode = result.report.summary.failed ? 1 : 0;
    return cli.save ? await saveAudit(result, cli, argv, io, exitCode) : exitCode;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

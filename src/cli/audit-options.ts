import { AUDIT_FORMATS, OptionError, SEVERITIES, type Severity } from '../entry/audit.js';
import type { CommandSpec, OptionSpec } from './options/types.js';
import { parseTemplate } from './parse-time.js';

export interface AuditCli {
  policy?: string;
  init: boolean;
  force: boolean;
  failOn: Severity;
  /** An AUDIT_FORMATS name. */
  format: string;
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
  // ---- fleet (issue 14, docs/fleet.md) ----
  fleet: boolean;
  days?: number;
}

type Opt = OptionSpec<AuditCli>;
const POLICY = 'Policy:';
const RESULT = 'Result:';
const SCOPE = 'Scope and scan:';
const FLEET = 'Fleet (docs/fleet.md):';
const FORMAT_NAMES = AUDIT_FORMATS.map((f) => f.name);

function count(opt: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new OptionError(`${opt}: expected a whole number ${min}-${max}, got "${v}"`);
  return Number(v);
}

export const AUDIT_OPTIONS: readonly Opt[] = [
  { names: ['--policy'], arg: 'FILE', group: POLICY, help: 'the policy (YAML; schema docs/schema/policy.schema.json). Without it every\nlistening or open port is a finding.', apply: (c, v) => (c.policy = v) },
  { names: ['--init'], group: POLICY, help: 'write a starter policy from the current state to --policy FILE (auditing right\nafter it is clean); refuses to overwrite an existing file', apply: (c) => (c.init = true) },
  { names: ['--force'], group: POLICY, help: 'with --init: overwrite FILE', apply: (c) => (c.force = true) },
  {
    names: ['--fail-on'],
    arg: 'SEVERITY',
    group: RESULT,
    help: `exit 1 when a finding has this severity or higher: ${SEVERITIES.join(', ')}\n(default: low)`,
    choices: SEVERITIES,
    apply: (c, v) => {
      if (!(SEVERITIES as readonly string[]).includes(v)) throw new OptionError(`--fail-on: "${v}" is not a severity (${SEVERITIES.join(', ')})`);
      c.failOn = v as Severity;
    },
  },
  {
    names: ['--format'],
    arg: 'FORMAT',
    group: RESULT,
    help: AUDIT_FORMATS.map((f) => `${f.name}: ${f.help}`).join('\n'),
    choices: FORMAT_NAMES,
    apply: (c, v) => {
      if (!FORMAT_NAMES.includes(v)) throw new OptionError(`--format: "${v}" is not a format (${FORMAT_NAMES.join(', ')})`);
      c.format = v;
    },
  },
  { names: ['-o'], arg: 'FILE', group: RESULT, help: 'write the report to FILE instead of stdout', apply: (c, v) => (c.output = v) },
  { names: ['--save'], group: RESULT, help: 'store the audit, its findings and its outside scan in the history database\nafter the report is written (docs/history.md); see portscope history --audits', apply: (c) => (c.save = true) },
  {
    names: ['--db'],
    arg: 'PATH',
    group: RESULT,
    help: 'history database: a SQLite file or a postgres:// URL (implies --save)',
    apply: (c, v) => {
      c.db = v;
      c.save = true;
    },
  },
  { names: ['--local'], group: SCOPE, help: 'also audit this machine when TARGETs are given (default: only without TARGETs)', apply: (c) => (c.local = true) },
  { names: ['--no-scan'], group: SCOPE, help: 'no outside scan of this machine: judge exposure from bindings alone', apply: (c) => (c.noScan = true) },
  { names: ['-p'], arg: 'SPEC', group: SCOPE, help: 'ports to scan besides those the policy and the listeners name (default: the 1000\nmost common TCP ports); nmap syntax, e.g. 1-1024,8080', apply: (c, v) => (c.ports = v) },
  { names: ['--top-ports'], arg: 'N', group: SCOPE, help: 'the N most common TCP ports instead', apply: (c, v) => (c.topPorts = count('--top-ports', v, 1, 65535)) },
  {
    names: ['-T'],
    arg: 'TEMPLATE',
    display: '-T0..-T5',
    attached: true,
    group: SCOPE,
    help: 'timing template, as portscope scan (-T4, -T aggressive)',
    choices: ['0', '1', '2', '3', '4', '5', 'paranoid', 'sneaky', 'polite', 'normal', 'aggressive', 'insane'],
    apply: (c, v) => (c.template = parseTemplate(v)),
  },
  { names: ['--max-retries'], arg: 'N', group: SCOPE, help: 'retries per port (as portscope scan)', apply: (c, v) => (c.maxRetries = count('--max-retries', v, 0, 50)) },
  { names: ['-h', '--help'], group: SCOPE, help: 'this help', apply: (c) => (c.help = true) },
  { names: ['--fleet'], group: FLEET, help: "judge every machine's latest inside view (listening --save) against the latest\nstored outside scans of its addresses; needs --db; findings name the machine", apply: (c) => (c.fleet = true) },
  { names: ['--days'], arg: 'N', group: FLEET, help: 'with --fleet: a listener no stored scan of the last N days saw open is a\nfinding (default 7)', apply: (c, v) => (c.days = count('--days', v, 1, 36500)) },
];

export const AUDIT_COMMAND: CommandSpec<AuditCli> = {
  name: 'audit',
  usage: ['[options] [TARGET...]'],
  description: `Should this port be open? Joins this machine's listening sockets (inside view) with a TCP scan of its own
non-loopback addresses (outside view, run from this machine) and checks both against a policy. Given
TARGETs, audits those hosts by scan alone. Policy reference and finding types: docs/audit.md.`,
  style: 'posix',
  options: AUDIT_OPTIONS,
  operand: { name: 'TARGET', apply: (c, v) => void c.targets.push(v) },
  init: () => ({ init: false, force: false, failOn: 'low', format: 'text', noScan: false, targets: [], help: false, save: false, fleet: false }),
  footer: `Exit status: 0 no finding at or above --fail-on; 1 findings at or above it; 2 bad option or policy
(one line naming file:line:column), or the report was written but --save failed; 130/143 interrupted
(no report).`,
};

/** `portscope audit --fleet`: every machine's inside view against stored outside scans (docs/fleet.md). */
import { escapeTerminalText, fleetAudit, type FleetAuditResult, OptionError } from '../entry/fleet.js';
import type { AuditCli } from './audit.js';
import type { CliIO } from './io.js';

const RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

export async function runFleetAudit(cli: AuditCli, io: CliIO): Promise<number> {
  if (cli.db === undefined) throw new OptionError('--fleet needs --db PATH|URL (the database the machines saved their inside views to)');
  if (cli.targets.length || cli.init || cli.noScan || cli.local || cli.ports !== undefined || cli.topPorts !== undefined) {
    throw new OptionError('--fleet reads stored views only: it takes --db, --days, --policy, --format text|json, -o and --fail-on');
  }
  if (cli.format !== 'text' && cli.format !== 'json') throw new OptionError(`--fleet writes text or json, not ${cli.format}`);
  const result = await fleetAudit({ db: cli.db, env: io.env, ...(cli.days === undefined ? {} : { days: cli.days }), ...(cli.policy === undefined ? {} : { policy: cli.policy }) });
  const text = cli.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderFleetText(result);
  if (cli.output !== undefined && cli.output !== '-') (await import('./audit.js')).writeAtomic(cli.output, text);
  else io.stdout.write(text);
  return result.findings.some((f) => RANK[f.severity] >= RANK[cli.failOn]) ? 1 : 0;
}

/** Hostnames and process names come from the machines: escaped for the terminal. */
const safe = escapeTerminalText;

export function renderFleetText(r: FleetAuditResult): string {
  const lines = [`Fleet audit: ${r.machines.length} machines, ${r.findings.length} findings`];
  for (const m of r.machines) lines.push(`  machine ${safe(m.hostname)} (${safe(m.machineId)}): ${m.sockets} sockets at ${new Date(m.takenAt).toISOString()}, addresses ${m.addresses.join(', ') || 'none'}`);
  if (r.findings.length) lines.push('');
  for (const f of r.findings) lines.push(`[${f.severity.toUpperCase()}] ${f.type} machine=${safe(f.hostname)} id=${safe(f.machineId)}${f.address ? ` ${f.address} ${f.protocol}/${f.port}` : ''}: ${safe(f.title)}`);
  return `${lines.join('\n')}\n`;
}

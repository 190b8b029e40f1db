import { close, type CloseOptions } from '../api/close.js';
import { OptionError, PortscopeError } from '../model/index.js';
import { oneLine } from '../output/text.js';
import type { CliIO } from './io.js';
import { optionTokens } from './option-tokens.js';

export const CLOSE_HELP = `Usage: portscope close PORT[/tcp|/udp] [--apply | --undo] [--json]

The exact steps to close a port on this host: stop and disable the systemd unit that owns the listener,
and a drop rule in portscope's own nftables table (table inet portscope; 'ufw deny' when ufw manages the
host). Without --apply nothing changes. See docs/firewall.md.

  --apply     (root) add the drop rule to table inet portscope, atomically (nft -f), idempotently;
              no other table is touched; loopback keeps access
  --undo      (root) remove the port from table inet portscope again
  --json      the plan as JSON
  -h, --help  this help
`;

export function parseCloseArgs(argv: readonly string[]): { options: CloseOptions; json: boolean; help: boolean } {
  let target: string | undefined;
  const flags = { apply: false, undo: false, json: false, help: false };
  for (const { arg } of optionTokens(argv, new Set())) {
    switch (arg) {
      case '--apply': flags.apply = true; break;
      case '--undo': flags.undo = true; break;
      case '--json': flags.json = true; break;
      case '-h': case '--help': flags.help = true; break;
      default:
        if (arg.startsWith('-')) throw new OptionError(`close: unknown option "${arg}" (see portscope close --help)`);
        if (target !== undefined) throw new OptionError(`close: one port at a time (got "${target}" and "${arg}")`);
        target = arg;
    }
  }
  if (flags.help) return { options: { port: 0, protocol: 'tcp' }, json: false, help: true };
  if (target === undefined) throw new OptionError('close: which port? (portscope close PORT[/tcp|/udp])');
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(target);
  if (!m) throw new OptionError(`close: "${target.slice(0, 40)}" is not PORT or PORT/tcp or PORT/udp`);
  const options: CloseOptions = { port: Number(m[1]), protocol: (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp' };
  if (flags.apply) options.apply = true;
  if (flags.undo) options.undo = true;
  return { options, json: flags.json, help: false };
}

/** `portscope close`: 0 ok; 2 bad arguments, not root for --apply/--undo, or nft failed. */
export async function runClose(argv: string[], io: CliIO): Promise<number> {
  try {
    const cli = parseCloseArgs(argv);
    if (cli.help) {
      io.stdout.write(CLOSE_HELP);
      return 0;
    }
    const plan = await close(cli.options);
    if (cli.json) {
      io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      return 0;
    }
    const what = `${plan.port}/${plan.protocol}`;
    const lines: string[] = [];
    if (plan.listeners.length === 0) lines.push(`nothing listens on ${what}`);
    for (const l of plan.listeners) lines.push(oneLine(`${what} is held by ${l.name}[${l.pid}] on ${l.address}${l.unit ? ` (systemd unit ${l.unit})` : ''}`));
    if (plan.changed !== undefined) {
      const verb = cli.options.undo ? 'reopened in' : 'closed in';
      lines.push(plan.changed ? `${what} ${verb} table inet portscope` : `${what} was already ${cli.options.undo ? 'absent from' : 'closed in'} table inet portscope: nothing changed`);
    } else {
      lines.push(`steps to close ${what}:`, ...plan.steps.map((s) => oneLine(s).replace(/\\x0a/g, '\n')));
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

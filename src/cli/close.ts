/** `portscope close PORT[/PROTO]`: the steps to close a port; --apply/--undo change table inet portscope (docs/firewall.md). */
import { close, oneLine, PortscopeError } from '../entry/firewall.js';
import { CLOSE_COMMAND, closeOptions } from './firewall-options.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';

/** `portscope close`: 0 ok; 2 bad arguments, not root for --apply/--undo, or nft failed. */
export async function runClose(argv: string[], io: CliIO): Promise<number> {
  try {
    const cli = parseCommandLine(CLOSE_COMMAND, argv);
    if (cli.help) {
      io.stdout.write(renderHelp(CLOSE_COMMAND));
      return 0;
    }
    const options = closeOptions(cli);
    const plan = await close(options);
    if (cli.json) {
      io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      return 0;
    }
    const what = `${plan.port}/${plan.protocol}`;
    const lines: string[] = [];
    if (plan.listeners.length === 0) lines.push(`nothing listens on ${what}`);
    for (const l of plan.listeners) lines.push(oneLine(`${what} is held by ${l.name}[${l.pid}] on ${l.address}${l.unit ? ` (systemd unit ${l.unit})` : ''}`));
    if (plan.changed !== undefined) {
      const verb = options.undo ? 'reopened in' : 'closed in';
      lines.push(plan.changed ? `${what} ${verb} table inet portscope` : `${what} was already ${options.undo ? 'absent from' : 'closed in'} table inet portscope: nothing changed`);
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

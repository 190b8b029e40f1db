import { PortscopeError, VERSION } from '../entry/core.js';
import { COMMANDS, findCommand } from './commands.js';
import type { CliIO } from './io.js';

/** `portscope --help`, from the command table. */
export function usage(): string {
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n');
  return `portscope ${VERSION}: find every open port, who listens behind it, and whether it should be open.

Usage: portscope <command> [options]

Commands:
${list}

  portscope <command> --help   options of a command
  portscope --version          print the version
`;
}

/** The CLI entry: the only place that touches process.* (argv, exit code, signals). */
export async function main(argv: string[]): Promise<void> {
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    stderrColumns: () => process.stderr.columns,
  };
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(sig === 'SIGINT' ? 130 : 143);
    controller.abort(`Interrupted by ${sig}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed stdout (`portscope scan … | head`) is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });

  const [cmd, ...rest] = argv;
  let code: number;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      io.stdout.write(usage());
      code = cmd === undefined ? 2 : 0;
    } else if (cmd === '--version' || cmd === '-V') {
      io.stdout.write(`portscope ${VERSION}\n`);
      code = 0;
    } else {
      const command = findCommand(cmd);
      if (!command) {
        io.stderr.write(`portscope: unknown command "${cmd}" (commands: ${COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).join(', ')})\n`);
        code = 2;
      } else {
        code = await command.run(rest, { io, signal: controller.signal, commandLine: ['portscope', ...argv].map(quoteArg).join(' ') });
      }
    }
  } catch (err) {
    if (err instanceof PortscopeError) {
      io.stderr.write(`portscope: ${err.message}\n`);
      code = 2;
    } else {
      io.stderr.write(`portscope: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
      code = 70;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = code;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

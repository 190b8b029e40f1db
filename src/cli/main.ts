import { escapeTerminalText, PortscopeError } from '../model/index.js';
import { VERSION } from '../version.js';
import { EXIT_IO, watchStdout, type CliIO } from './io.js';

const USAGE = `portscope ${VERSION}: find every open port, who listens behind it, and whether it should be open.

Usage: portscope <command> [options]

Commands:
  scan        scan hosts and networks for open TCP and UDP ports, -sV services (nmap's flags: scan --help)
  listening   this machine's listening sockets with process, user and exposure (alias: ls)
  audit       should these ports be open? inside and outside views against a policy; --save (docs/audit.md)
  history     stored scans over time; per host and port: first/last seen, changes (docs/history.md)
  diff        what changed between two scans (stored ids or nmap/portscope files); exit 1 on change
  watch       rescan on a schedule, store, report changes (stdout, JSON lines, webhooks)
  import      store nmap/portscope XML (or portscope JSON) files in the history

  portscope <command> --help   options of a command
  portscope --version          print the version
`;

type Command = (argv: string[], io: CliIO, signal: AbortSignal, commandLine: string) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  // Each command loads its own modules: `listening` need not pay for the scan engine's, and vice versa.
  scan: async (argv, io, signal, commandLine) => (await import('./scan.js')).runScan(argv, { io, signal, commandLine }),
  listening: async (argv, io) => (await import('./listening.js')).runListening(argv, io),
  audit: async (argv, io, signal) => (await import('./audit.js')).runAudit(argv, io, signal),
  history: async (argv, io) => (await import('./history.js')).runHistory(argv, io),
  diff: async (argv, io) => (await import('./diff.js')).runDiff(argv, io),
  watch: async (argv, io, signal, commandLine) => (await import('./watch.js')).runWatch(argv, { io, signal, commandLine }),
  import: async (argv, io) => (await import('./import.js')).runImport(argv, io),
};
COMMANDS.ls = COMMANDS.listening!;

/** The CLI entry: the only place that touches process.* (argv, exit code, signals). */
export async function main(argv: string[]): Promise<void> {
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
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
  // A closed stdout (`portscope scan … | head`) is not an error worth a stack trace; any other failed write
  // (`> /dev/full`: ENOSPC, EIO) is one line, the command stopped, and exit EXIT_IO (io.ts).
  const stdoutFailure = watchStdout(process.stdout, process.stderr, () => controller.abort('standard output failed'));

  const [cmd, ...rest] = argv;
  let code: number;
  try {
    if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
      io.stdout.write(USAGE);
      code = cmd === undefined ? 2 : 0;
    } else if (cmd === '--version' || cmd === '-V') {
      io.stdout.write(`portscope ${VERSION}\n`);
      code = 0;
    } else {
      const command = COMMANDS[cmd];
      if (!command) {
        io.stderr.write(`portscope: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
        code = 2;
      } else {
        code = await command(rest, io, controller.signal, ['portscope', ...argv].map(quoteArg).join(' '));
      }
    }
  } catch (err) {
    if (err instanceof PortscopeError) {
      io.stderr.write(`portscope: ${escapeTerminalText(err.message)}\n`);
      code = 2;
    } else {
      io.stderr.write(`portscope: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
      code = 70;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = stdoutFailure.failed ? EXIT_IO : code;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

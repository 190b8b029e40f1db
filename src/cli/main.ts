import { escapeTerminalText, PortscopeError, VERSION } from '../entry/core.js';
import type { CommandEntry } from './commands.js';
import { EXIT_IO, watchStdout, type CliIO } from './io.js';

/**
 * The command table: one line per command. `portscope --help`'s list, dispatch, the man page and the shell
 * completions are generated from it. Each command loads its own modules when run (`listening` need not pay
 * for the scan engine's), and its option table (`spec`, for help, man page and completions) only when asked.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'scan',
    summary: "scan hosts and networks for open TCP and UDP ports, -sV services (nmap's flags: scan --help)",
    run: async (a, c) => (await import('./scan.js')).runScan(a, c),
    spec: async () => (await import('./scan-options.js')).SCAN_COMMAND,
  },
  {
    name: 'listening',
    aliases: ['ls'],
    summary: "this machine's listening sockets with process, user and exposure (alias: ls)",
    run: async (a, c) => {
      // The fd walk starts on a worker thread before the reader's modules load (issue 15, docs/listening.md);
      // PORTSCOPE_EARLY_WALK=0 walks after the dump instead, on the main thread (for measuring the two).
      if (c.io.env.PORTSCOPE_EARLY_WALK !== '0' && !a.some((x) => x === '-h' || x === '--help' || x.startsWith('--netns'))) {
        (await import('../entry/listening-prefetch.js')).prefetchListening({ source: c.io.env.PORTSCOPE_LISTENING_SOURCE ?? 'auto' });
      }
      return (await import('./listening.js')).runListening(a, c.io);
    },
    spec: async () => (await import('./listening-options.js')).LISTENING_COMMAND,
  },
  {
    name: 'audit',
    summary: 'should these ports be open? inside and outside views against a policy; --save (docs/audit.md)',
    run: async (a, c) => (await import('./audit.js')).runAudit(a, c.io, c.signal),
    spec: async () => (await import('./audit-options.js')).AUDIT_COMMAND,
  },
  {
    name: 'history',
    summary: 'stored scans over time; per host and port: first/last seen, changes (docs/history.md)',
    run: async (a, c) => (await import('./history.js')).runHistory(a, c.io),
    spec: async () => (await import('./store-options.js')).HISTORY_COMMAND,
  },
  {
    name: 'diff',
    summary: 'what changed between two scans (stored ids or nmap/portscope files); exit 1 on change',
    run: async (a, c) => (await import('./diff.js')).runDiff(a, c.io),
    spec: async () => (await import('./diff-options.js')).DIFF_COMMAND,
  },
  {
    name: 'watch',
    summary: 'rescan on a schedule, store, report changes (stdout, JSON lines, webhooks)',
    run: async (a, c) => (await import('./watch.js')).runWatch(a, c),
    spec: async () => (await import('./watch-options.js')).WATCH_COMMAND,
  },
  {
    name: 'import',
    summary: 'store nmap/portscope XML (or portscope JSON) files in the history',
    run: async (a, c) => (await import('./import.js')).runImport(a, c.io),
    spec: async () => (await import('./store-options.js')).IMPORT_COMMAND,
  },
  {
    name: 'merge',
    summary: 'one scan from the files of its shards or resumed parts (-oX/-oJ/-oN/-oG)',
    run: async (a, c) => (await import('./merge.js')).runMerge(a, c.io, c.commandLine),
    spec: async () => (await import('./merge-options.js')).MERGE_COMMAND,
  },
  {
    name: 'explain',
    summary: 'why is each port reachable? the deciding firewall rule and the predicted state (docs/firewall.md)',
    run: async (a, c) => (await import('./explain.js')).runExplain(a, c.io),
    spec: async () => (await import('./firewall-options.js')).EXPLAIN_COMMAND,
  },
  {
    name: 'close',
    summary: 'the exact steps to close a port (systemd unit, drop rule in table inet portscope); --apply, --undo',
    run: async (a, c) => (await import('./close.js')).runClose(a, c.io),
    spec: async () => (await import('./firewall-options.js')).CLOSE_COMMAND,
  },
  {
    name: 'doctor',
    summary: 'what portscope can do here: Node, backend, capabilities, database drivers (for bug reports)',
    run: async (a, c) => (await import('./doctor.js')).runDoctor(a, c.io),
    spec: async () => (await import('./doctor.js')).DOCTOR_COMMAND,
  },
  {
    name: 'worker',
    summary: 'take shards of distributed scans from a PostgreSQL queue (docs/fleet.md)',
    run: async (a, c) => (await import('./worker.js')).runWorkerCli(a, c.io, c.signal),
    spec: async () => (await import('./fleet-options.js')).WORKER_COMMAND,
  },
  {
    name: 'scans',
    summary: 'distributed scans and their state (scan --distribute, --attach, --cancel)',
    run: async (a, c) => (await import('./scans.js')).runScans(a, c.io),
    spec: async () => (await import('./fleet-options.js')).SCANS_COMMAND,
  },
  {
    name: 'completion',
    summary: 'print a bash, zsh or fish completion script (source <(portscope completion bash))',
    run: async (a, c) => (await import('./completion.js')).runCompletion(a, c.io),
    spec: async () => (await import('./completion.js')).COMPLETION_COMMAND,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

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
  let forcedExit: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      // Out of patience: finish the outputs synchronously (the command registered how), then exit.
      try {
        forcedExit?.();
      } finally {
        process.exit(sig === 'SIGINT' ? 130 : 143);
      }
    }
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
        code = await command.run(rest, { io, signal: controller.signal, commandLine: ['portscope', ...argv].map(quoteArg).join(' '), onForcedExit: (finish) => (forcedExit = finish) });
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

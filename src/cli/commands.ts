/**
 * The command table: one line per command. `portscope --help`'s list, dispatch, the man page and the shell
 * completions are generated from it. Each command loads its own modules when run (`listening` need not pay
 * for the scan engine's), and its option table (`spec`) only when asked for.
 */
import type { CliIO } from './io.js';
import type { AnyCommandSpec } from './options/types.js';

export interface RunContext {
  io: CliIO;
  /** Aborted by the process's SIGINT/SIGTERM handler, with the reason as message. */
  signal: AbortSignal;
  commandLine: string;
}

export interface CommandEntry {
  name: string;
  aliases?: readonly string[];
  /** One line in `portscope --help`. */
  summary: string;
  run: (argv: string[], ctx: RunContext) => Promise<number>;
  /** The command's option table (absent: the command documents its own arguments). */
  spec?: () => Promise<AnyCommandSpec>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'scan', summary: "scan hosts and networks for open TCP and UDP ports, -sV services (nmap's flags: scan --help)", run: async (a, c) => (await import('./scan.js')).runScan(a, c), spec: async () => (await import('./scan-options.js')).SCAN_COMMAND },
  { name: 'listening', aliases: ['ls'], summary: "this machine's listening sockets with process, user and exposure (alias: ls)", run: async (a, c) => (await import('./listening.js')).runListening(a, c.io), spec: async () => (await import('./listening-options.js')).LISTENING_COMMAND },
  { name: 'audit', summary: 'should these ports be open? inside and outside views against a policy; --save (docs/audit.md)', run: async (a, c) => (await import('./audit.js')).runAudit(a, c.io, c.signal), spec: async () => (await import('./audit-options.js')).AUDIT_COMMAND },
  { name: 'history', summary: 'stored scans over time; per host and port: first/last seen, changes (docs/history.md)', run: async (a, c) => (await import('./history.js')).runHistory(a, c.io), spec: async () => (await import('./store-options.js')).HISTORY_COMMAND },
  { name: 'diff', summary: 'what changed between two scans (stored ids or nmap/portscope files); exit 1 on change', run: async (a, c) => (await import('./diff.js')).runDiff(a, c.io), spec: async () => (await import('./store-options.js')).DIFF_COMMAND },
  { name: 'watch', summary: 'rescan on a schedule, store, report changes (stdout, JSON lines, webhooks)', run: async (a, c) => (await import('./watch.js')).runWatch(a, c), spec: async () => (await import('./watch-options.js')).WATCH_COMMAND },
  { name: 'import', summary: 'store nmap/portscope XML (or portscope JSON) files in the history', run: async (a, c) => (await import('./import.js')).runImport(a, c.io), spec: async () => (await import('./store-options.js')).IMPORT_COMMAND },
  { name: 'completion', summary: 'print a bash, zsh or fish completion script (source <(portscope completion bash))', run: async (a, c) => (await import('./completion.js')).runCompletion(a, c.io), spec: async () => (await import('./completion.js')).COMPLETION_COMMAND },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** The option tables of every command that has one, in table order. */
export async function commandSpecs(): Promise<{ entry: CommandEntry; spec: AnyCommandSpec }[]> {
  const out: { entry: CommandEntry; spec: AnyCommandSpec }[] = [];
  for (const entry of COMMANDS) if (entry.spec) out.push({ entry, spec: await entry.spec() });
  return out;
}

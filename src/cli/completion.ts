/** `portscope completion bash|zsh|fish`: print a completion script generated from the option tables. */
import { OptionError } from '../entry/core.js';
import { COMMANDS } from './main.js';
import { completionScript, SHELLS, type Shell } from './docs/completion.js';
import type { DocCommand } from './docs/model.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import type { CommandSpec } from './options/types.js';

interface CompletionCli {
  shells: string[];
  help: boolean;
}

export const COMPLETION_COMMAND: CommandSpec<CompletionCli> = {
  name: 'completion',
  usage: ['bash|zsh|fish'],
  description: `Print a shell completion script for portscope's commands and options.
  bash:  source <(portscope completion bash)              (or save it in ~/.local/share/bash-completion/completions/portscope)
  zsh:   portscope completion zsh > "\${fpath[1]}/_portscope"
  fish:  portscope completion fish > ~/.config/fish/completions/portscope.fish`,
  style: 'posix',
  options: [{ names: ['-h', '--help'], group: 'Options:', help: 'this help', apply: (c) => (c.help = true) }],
  operand: { name: 'SHELL', apply: (c, v) => void c.shells.push(v) },
  init: () => ({ shells: [], help: false }),
};

/** Every command with its option table, as the man page and the completions read them. */
export async function docCommands(): Promise<DocCommand[]> {
  const out: DocCommand[] = [];
  for (const c of COMMANDS) out.push({ name: c.name, aliases: c.aliases ?? [], summary: c.summary, spec: c.spec ? await c.spec() : null });
  return out;
}

export async function runCompletion(argv: string[], io: CliIO): Promise<number> {
  const cli = parseCommandLine(COMPLETION_COMMAND, argv);
  if (cli.help) {
    io.stdout.write(renderHelp(COMPLETION_COMMAND));
    return 0;
  }
  const [shell, ...extra] = cli.shells;
  if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    throw new OptionError(`completion needs one shell: ${SHELLS.join(', ')}${shell !== undefined && extra.length === 0 ? ` (not "${shell}")` : ''}`);
  }
  io.stdout.write(completionScript(shell as Shell, await docCommands()));
  return 0;
}

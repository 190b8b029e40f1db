import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { docCommands } from '../../../src/cli/completion.js';
import { completionScript, SHELLS } from '../../../src/cli/docs/completion.js';
import type { DocCommand } from '../../../src/cli/docs/model.js';

const commands: DocCommand[] = await docCommands();

/** How each shell's script spells option `name` of command `cmd` (one line or one word list per command). */
const spelled: Record<(typeof SHELLS)[number], (script: string, cmd: DocCommand, name: string) => boolean> = {
  bash: (s, cmd, name) => {
    const block = new RegExp(`\\n    ${[cmd.name, ...cmd.aliases].join('\\|')}\\)\\n      opts="([^"]*)"`).exec(s);
    return block !== null && block[1]!.split(' ').includes(name);
  },
  zsh: (s, cmd, name) => {
    const start = s.indexOf(`\n    ${[cmd.name, ...cmd.aliases].join('|')})\n`);
    const block = s.slice(start, s.indexOf(';;', start));
    return start >= 0 && new RegExp(`'\\*${name.replace(/[-]/g, '\\-')}[+=[]`).test(block);
  },
  fish: (s, cmd, name) => {
    const flag = name.startsWith('--') ? `-l ${name.slice(2)}` : name.length === 2 ? `-s ${name.slice(1)}` : `-o ${name.slice(1)}`;
    return s.split('\n').some((l) => l.startsWith(`complete -c portscope -n '__fish_seen_subcommand_from ${[cmd.name, ...cmd.aliases].join(' ')}' ${flag} `));
  },
};

for (const shell of SHELLS) {
  test(`${shell} completion offers every command and every option of every command`, () => {
    const script = completionScript(shell, commands);
    const missing: string[] = [];
    for (const c of commands) {
      if (!script.includes(c.name)) missing.push(c.name);
      for (const o of c.spec?.options ?? []) for (const n of o.names) if (!spelled[shell](script, c, n)) missing.push(`${c.name} ${n}`);
    }
    assert.ok(commands.length >= 8 && commands.every((c) => c.spec), 'every command has an option table');
    assert.deepEqual(missing, []);
  });
}

test('the bash script parses, registers itself and completes options, choices and commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-compl-'));
  try {
    const file = join(dir, 'portscope.bash');
    writeFileSync(file, completionScript('bash', commands));
    assert.equal(spawnSync('bash', ['-n', file]).status, 0);
    const probe = `source ${file}; complete -p portscope
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _portscope; echo "\${COMPREPLY[*]}"; }
complete_words portscope scan --min
complete_words portscope scan --color ''
complete_words portscope audit --format ''
complete_words portscope li`;
    const r = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), ['complete -o default -F _portscope portscope', '--min-rate --min-rtt-timeout --min-parallelism', 'auto always never', 'text json sarif junit html', 'listening', '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

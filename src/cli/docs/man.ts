/**
 * portscope(1), generated from the same command and option tables as `--help` (scripts/gen-man.mjs writes
 * man/portscope.1; test/unit/cli/man.test.ts checks that the committed page is the generated one). No date in
 * .TH, so the page changes only when the tables do.
 */
import { optionLabel, optionSections } from '../options/help.js';
import type { DocCommand } from './model.js';

/** roff text: backslashes escaped, hyphens as \- (so options can be searched and copied), a leading . or ' neutralised. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/…/g, '...')
    .replace(/·/g, '\\(pc')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

export function manPage(version: string, commands: readonly DocCommand[]): string {
  const out: string[] = [
    `.TH PORTSCOPE 1 "" "portscope ${version}" "User Commands"`,
    '.SH NAME',
    'portscope \\- find every open port, who listens behind it, and whether it should be open',
    '.SH SYNOPSIS',
    '.B portscope',
    '.I command',
    '[\\fIoptions\\fR] [\\fIoperands\\fR]',
    '.br',
    '.B portscope',
    '\\-\\-help | \\-\\-version',
    '.SH DESCRIPTION',
    roff(
      "portscope scans hosts for open TCP and UDP ports with nmap's flags and output formats, lists this machine's listening sockets with the processes behind them, audits both against a policy, and keeps a history of scans to compare. Each command has its own options below; `portscope COMMAND --help` prints the same text.",
    ),
    '.SH COMMANDS',
  ];
  for (const c of commands) {
    out.push('.TP', `.B ${roff(c.name)}${c.aliases.length ? ` (${roff(c.aliases.join(', '))})` : ''}`, roff(c.summary));
  }
  for (const c of commands) {
    const spec = c.spec;
    if (!spec) continue;
    out.push(`.SH "${roff(`portscope ${c.name}`.toUpperCase())}"`);
    for (const u of spec.usage) out.push('.B portscope', `.B ${roff(c.name)}`, roff(u), '.br');
    out.push('.PP', roff(spec.description.trimEnd()));
    for (const section of optionSections(spec)) {
      out.push(`.SS "${roff(section.group.replace(/:$/, ''))}"`);
      if (spec.operand?.help !== undefined && spec.operand.group === section.group) out.push('.TP', `.I ${roff(spec.operand.name)}`, roff(spec.operand.help));
      for (const o of section.options) out.push('.TP', `.B ${roff(optionLabel(o))}`, roff(o.help));
    }
    if (spec.footer)
      out.push(
        '.PP',
        roff(spec.footer.trimEnd())
          .replace(/\n\n/g, '\n.PP\n')
          .replace(/\n {2}/g, '\n.br\n  '),
      );
  }
  out.push(
    '.SH ENVIRONMENT',
    '.TP',
    '.B NO_COLOR',
    roff('present and not empty: no colour in text output unless --color always (https://no-color.org).'),
    '.TP',
    '.B FORCE_COLOR',
    roff('present and not empty: colour even when stdout is not a terminal, unless --color never (https://force-color.org).'),
    '.TP',
    '.B PORTSCOPE_DB',
    roff('the history database (SQLite file or postgres:// URL) when --db is not given.'),
    '.TP',
    '.B XDG_DATA_HOME',
    roff('the default history database is $XDG_DATA_HOME/portscope/history.db (else ~/.local/share/portscope/history.db).'),
    '.SH EXIT STATUS',
    roff('0 success; 1 the command ran and found what it reports with 1 (scan failed, audit findings, diff changes); 2 bad input, one line on stderr; 70 internal error; 130/143 interrupted by SIGINT/SIGTERM.'),
    '.SH SEE ALSO',
    '.BR nmap (1),',
    '.BR ss (8)',
    '',
  );
  return out.join('\n');
}

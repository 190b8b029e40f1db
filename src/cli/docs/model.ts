import type { AnyCommandSpec, OptionSpec } from '../options/types.js';

/** What the man page and the completions are generated from: the command table and each option table. */
export interface DocCommand {
  name: string;
  aliases: readonly string[];
  summary: string;
  spec: AnyCommandSpec | null;
}

export type DocOption = OptionSpec<unknown>;

/** Arguments completed as file names. */
export function takesFile(o: DocOption): boolean {
  return o.arg !== undefined && /^(FILE|BASE|PATH)$/.test(o.arg);
}

/** The first line of an option's help, for a completion menu. */
export function shortHelp(o: DocOption): string {
  return (o.help.split('\n')[0] ?? '').trim();
}

export function allOptions(c: DocCommand): DocOption[] {
  return (c.spec?.options ?? []) as DocOption[];
}

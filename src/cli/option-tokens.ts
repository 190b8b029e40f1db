import { OptionError } from '../model/index.js';

/** One command-line argument: an option with its value (if it takes one), or an operand. */
export interface OptionToken {
  arg: string;
  value: string | undefined;
}

/**
 * Splits argv into options and values the way the subcommands other than `scan` spell them: `--opt VALUE`,
 * `--opt=VALUE`, `-o VALUE`. A value may not look like an option (except `-`, stdout/stdin), so that a
 * forgotten value is reported instead of swallowing the next flag.
 */
export function* optionTokens(argv: readonly string[], valueOptions: ReadonlySet<string>): Generator<OptionToken> {
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (valueOptions.has(arg)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined || (value.startsWith('-') && value !== '-')) throw new OptionError(`${arg} needs a value`);
      }
      if (value === '') throw new OptionError(`${arg} needs a value`);
    } else if (value !== undefined) throw new OptionError(`${arg} takes no value`);
    yield { arg, value };
  }
}

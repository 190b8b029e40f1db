import { OptionError } from '../entry/core.js';

/**
 * Whether a text output gets ANSI colour. Order, most specific first:
 * 1. `--color always|never` (`--no-color` = never): the user asked on this command line.
 * 2. FORCE_COLOR present and not empty: colour even when not a terminal (https://force-color.org: "When this
 *    variable is present and not an empty string (regardless of its value), it should force the addition of
 *    ANSI color"; its example checks it after NO_COLOR, so it wins over NO_COLOR).
 * 3. NO_COLOR present and not empty: no colour (https://no-color.org: "when present and not an empty string
 *    (regardless of its value), prevents the addition of ANSI color"). NO_COLOR= (empty) does not count.
 * 4. Otherwise colour only on a terminal.
 */
export type ColorChoice = 'auto' | 'always' | 'never';

export function useColor(choice: ColorChoice, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  if (nonEmpty(env.FORCE_COLOR)) return true;
  if (nonEmpty(env.NO_COLOR)) return false;
  return isTTY;
}

const nonEmpty = (v: string | undefined): boolean => v !== undefined && v !== '';

export function parseColor(v: string): ColorChoice {
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw new OptionError(`invalid --color "${v}": use auto, always or never`);
}

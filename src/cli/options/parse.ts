import { OptionError } from '../../entry/core.js';
import type { CommandSpec, OptionSpec } from './types.js';

/**
 * The one argument parser: walks argv once against a command's option table (types.ts) and applies each
 * option to a fresh state. Both styles accept `--name VALUE`, `--name=VALUE`, `-x VALUE`, groups of one-letter
 * flags (`-nr`, as getopt and util.parseArgs do) and `--` before operands. Errors are one line (OptionError).
 */
export function parseCommandLine<S>(spec: CommandSpec<S>, argv: readonly string[]): S {
  const state = spec.init();
  const index = indexOptions(spec.options);
  const nmap = spec.style === 'nmap';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) operand(spec, state, rest);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      operand(spec, state, arg);
      continue;
    }
    if (nmap && spec.special?.(state, arg)) continue;
    const found = lookup(index, arg, nmap);
    if (!found) throw new OptionError(`unknown option "${arg}" (see portscope ${spec.name} --help)`);
    for (const [k, { option, name, inline }] of found.entries()) {
      if (option.arg === undefined) {
        if (inline !== undefined) throw new OptionError(`option ${name} takes no value`);
        option.apply(state, '', name);
        continue;
      }
      let value = inline;
      if (value === undefined && k === found.length - 1) {
        value = argv[i + 1];
        if (value === undefined || (!nmap && value.startsWith('-') && value !== '-')) throw new OptionError(`option ${name} needs a value`);
        i++;
      }
      if (value === undefined || (!nmap && value === '')) throw new OptionError(`option ${name} needs a value`);
      option.apply(state, value, name);
    }
  }
  return state;
}

interface Match<S> {
  option: OptionSpec<S>;
  name: string;
  inline: string | undefined;
}

function indexOptions<S>(options: readonly OptionSpec<S>[]): Map<string, OptionSpec<S>> {
  const index = new Map<string, OptionSpec<S>>();
  for (const o of options) for (const n of o.names) index.set(n, o);
  return index;
}

function operand<S>(spec: CommandSpec<S>, state: S, arg: string): void {
  if (!spec.operand) throw new OptionError(`${spec.name}: unexpected argument "${arg}"`);
  spec.operand.apply(state, arg);
}

/** The option(s) one argument names, or null: exact name, `--name=v`, attached `-p22`, `-min-rate`, groups. */
function lookup<S>(index: Map<string, OptionSpec<S>>, arg: string, nmap: boolean): Match<S>[] | null {
  const exact = index.get(arg);
  if (exact) return [{ option: exact, name: arg, inline: undefined }];
  const eq = arg.indexOf('=');
  if (arg.startsWith('--')) {
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const option = index.get(name);
    return option && eq > 0 ? [{ option, name, inline: arg.slice(eq + 1) }] : null;
  }
  // nmap reads options with getopt_long_only: `-min-rate 5` is `--min-rate 5` (nmap(1), "Options Summary").
  if (nmap && arg.length > 2) {
    const long = index.get(`-${eq > 0 ? arg.slice(0, eq) : arg}`);
    if (long) return [{ option: long, name: `-${arg.slice(0, eq > 0 ? eq : undefined)}`, inline: eq > 0 ? arg.slice(eq + 1) : undefined }];
  }
  // Attached values (`-p22`, `-T4`, `-oXfile`): the longest one-dash name that prefixes the argument.
  let best: Match<S> | null = null;
  for (const [name, option] of index) {
    if (option.attached && !name.startsWith('--') && arg.startsWith(name) && (!best || name.length > best.name.length)) best = { option, name, inline: arg.slice(name.length) };
  }
  if (best) return [best];
  return group(index, arg);
}

/**
 * `-nr` = `-n -r`; a letter that takes a value takes the rest (`-nT4`) or the next argument. nmap's `-s`
 * takes a set of scan-type letters (`-sTU`, `-sUV`: nmap(1), "Port Scanning Techniques").
 */
function group<S>(index: Map<string, OptionSpec<S>>, arg: string): Match<S>[] | null {
  const out: Match<S>[] = [];
  const prefix = arg.startsWith('-s') && index.has(`-s${arg[2]}`) ? '-s' : '-';
  for (let j = prefix.length; j < arg.length; j++) {
    const name = `${prefix}${arg[j]}`;
    const option = index.get(name);
    if (!option) return null;
    if (option.arg !== undefined) {
      out.push({ option, name, inline: j + 1 < arg.length ? arg.slice(j + 1) : undefined });
      return out;
    }
    out.push({ option, name, inline: undefined });
  }
  return out.length > 0 ? out : null;
}

/** Option table of `portscope merge` (see options/types.ts): one output option per scan format. */
import { SCAN_FORMATS } from '../entry/scan.js';
import type { CommandSpec, OptionSpec } from './options/types.js';

export interface MergeCli {
  outputs: { kind: string; path: string }[];
  help: boolean;
  files: string[];
}

const OPTIONS = 'Options:';

export const MERGE_COMMAND: CommandSpec<MergeCli> = {
  name: 'merge',
  usage: ['FILE... [-oN FILE] [-oX FILE] [-oG FILE] [-oJ FILE]'],
  description: `Merge scan files of parts of one scan (--shards, --resume runs): nmap or portscope XML, portscope JSON.
Each host appears once (its ports united; up if any part found it up), each port once. Without -o
options the normal output goes to stdout; "-" writes a format to stdout.`,
  style: 'posix',
  options: [
    ...SCAN_FORMATS.filter((f) => f.flag !== undefined).map((f): OptionSpec<MergeCli> => ({ names: [f.flag!], arg: 'FILE', group: OPTIONS, help: f.help, apply: (c, v) => void c.outputs.push({ kind: f.name, path: v }) })),
    { names: ['-h', '--help'], group: OPTIONS, help: 'this help', apply: (c) => (c.help = true) },
  ],
  operand: { name: 'FILE', apply: (c, v) => void c.files.push(v) },
  init: () => ({ outputs: [], help: false, files: [] }),
};

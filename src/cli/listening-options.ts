import { LISTENING_FORMATS, parsePortList, type ListeningOptions } from '../entry/listening.js';
import { parseColor as parseColorChoice, type ColorChoice } from './color.js';
import type { CommandSpec, OptionSpec } from './options/types.js';

export interface ListeningCli {
  options: ListeningOptions;
  /** `kind` is a LISTENING_FORMATS name. */
  outputs: { kind: string; path: string }[];
  verbose: boolean;
  color: ColorChoice;
  help: boolean;
  // ---- fleet (issue 14, docs/fleet.md) ----
  save: boolean;
  db?: string;
  machineId?: string;
  hostname?: string;
}

type Opt = OptionSpec<ListeningCli>;
const FILTERS = 'Filters (all given filters must match):';
const SOURCE = 'Source:';
const OUTPUT = 'Output:';
const FLEET = 'Fleet (docs/fleet.md):';

export const LISTENING_OPTIONS: readonly Opt[] = [
  { names: ['-t', '--tcp'], group: FILTERS, help: 'TCP sockets (with --udp: both)', apply: (c) => (c.options.tcp = true) },
  { names: ['-u', '--udp'], group: FILTERS, help: 'UDP sockets', apply: (c) => (c.options.udp = true) },
  { names: ['--public'], group: FILTERS, help: 'only sockets reachable from other hosts (not loopback-only)', apply: (c) => (c.options.public = true) },
  { names: ['-p', '--port'], arg: 'LIST', group: FILTERS, help: 'ports, e.g. 22,80,8000-8010', apply: (c, v) => (c.options.ports = [...(c.options.ports ?? []), ...parsePortList(v)]) },
  { names: ['--process'], arg: 'TEXT', group: FILTERS, help: 'process name or command line containing TEXT (case-insensitive), or a pid', apply: (c, v) => (c.options.process = v) },
  { names: ['--user'], arg: 'NAME', group: FILTERS, help: 'processes of user NAME (or numeric uid)', apply: (c, v) => (c.options.user = v) },
  { names: ['--netns'], arg: 'NAME', group: SOURCE, help: 'read network namespace NAME (Linux, root; see ip netns list)', apply: (c, v) => (c.options.netns = v) },
  { names: ['--json'], group: OUTPUT, help: 'JSON on stdout instead of the table (schema: docs/schema/listening.schema.json)', apply: (c) => void c.outputs.push({ kind: 'json', path: '-' }) },
  ...LISTENING_FORMATS.filter((f) => f.flag !== undefined).map(
    (f): Opt => ({ names: [f.flag!], arg: 'FILE', group: OUTPUT, help: `also write ${f.help} to FILE ('-' for stdout)`, apply: (c, v) => void c.outputs.push({ kind: f.name, path: v }) }),
  ),
  { names: ['-v', '--verbose'], group: OUTPUT, help: 'add the COMMAND column to the table', apply: (c) => (c.verbose = true) },
  { names: ['--color'], arg: 'WHEN', group: OUTPUT, help: 'auto (default: on a terminal; NO_COLOR and FORCE_COLOR respected), always, never', choices: ['auto', 'always', 'never'], apply: (c, v) => (c.color = parseColorChoice(v)) },
  { names: ['--no-color'], group: OUTPUT, help: '--color never', apply: (c) => (c.color = 'never') },
  { names: ['-h', '--help'], group: OUTPUT, help: 'this help', apply: (c) => (c.help = true) },
  { names: ['--save'], group: FLEET, help: "store the sockets with this machine's identity in the history database", apply: (c) => (c.save = true) },
  { names: ['--db'], arg: 'PATH|URL', group: FLEET, help: 'history database: a SQLite file or a postgres:// URL (implies --save)', apply: (c, v) => ((c.db = v), (c.save = true)) },
  { names: ['--machine-id'], arg: 'ID', group: FLEET, help: "this machine's id instead of /etc/machine-id (also $PORTSCOPE_MACHINE_ID)", apply: (c, v) => (c.machineId = v) },
  { names: ['--hostname'], arg: 'NAME', group: FLEET, help: 'the name stored for this machine instead of its hostname (also $PORTSCOPE_HOSTNAME)', apply: (c, v) => (c.hostname = v) },
];

export const LISTENING_COMMAND: CommandSpec<ListeningCli> = {
  name: 'listening',
  aliases: ['ls'],
  usage: ['[options]'],
  description: `This machine's listening TCP sockets and bound UDP sockets, with the processes holding them, their users,
and who can reach them (loopback only, one interface, all interfaces). Run as root to see every process.`,
  style: 'posix',
  options: LISTENING_OPTIONS,
  init: () => ({ options: {}, outputs: [], verbose: false, color: 'auto', help: false, save: false }),
};

/** Option tables of `portscope explain` and `portscope close` (see options/types.ts). */
import { OptionError, parsePortSpec, type CloseOptions, type ExplainOptions } from '../entry/firewall.js';
import { parseCommandLine } from './options/parse.js';
import type { CommandSpec, OptionSpec } from './options/types.js';

export interface ExplainCli {
  options: ExplainOptions;
  /** -p SPEC, turned into ports once -sT/-sU are known (finishExplain). */
  spec?: string;
  json: boolean;
  help: boolean;
}

const OPTIONS = 'Options:';
type ExplainOpt = OptionSpec<ExplainCli>;
const flag = (names: string[], help: string, apply: (c: ExplainCli) => void, extra: Partial<ExplainOpt> = {}): ExplainOpt => ({ names, group: OPTIONS, help, apply, ...extra });
const value = (names: string[], arg: string, help: string, apply: (c: ExplainCli, v: string) => void): ExplainOpt => ({ names, arg, group: OPTIONS, help, apply });

export const EXPLAIN_COMMAND: CommandSpec<ExplainCli> = {
  name: 'explain',
  usage: ['[options]'],
  description: `Why is each port reachable? For every listening socket (and every port given with -p): the bound address,
the process and its systemd unit, the firewall rule that decides a new connection from outside, and the
state a scan should observe. Reading the live firewall needs root. See docs/firewall.md.`,
  style: 'nmap',
  options: [
    value(['-p'], 'SPEC', 'also explain these ports (nmap syntax: 22,80,8000-8100, - for all)', (c, v) => (c.spec = v)),
    flag(['--only-ports'], 'only the -p ports, not every listening socket', (c) => (c.options.onlyPorts = true)),
    flag(['-sT'], 'TCP (the default)', (c) => (c.options.tcp = true)),
    flag(['-sU'], 'UDP instead of TCP; -sTU (or -sT -sU): both', (c) => (c.options.udp = true)),
    flag(['-sTU', '-sUT'], 'TCP and UDP', (c) => ((c.options.tcp = true), (c.options.udp = true)), { hidden: true }),
    value(['--from'], 'ADDR[,ADDR]', 'source address of the connection, one per family (rules on saddr are indeterminate\nwithout it); only those families are explained', (c, v) => (c.options.from = v.split(','))),
    value(['--iface'], 'NAME', "input interface (default: the default route's interface)", (c, v) => (c.options.iface = v)),
    value(['--ruleset'], 'FILE', 'evaluate this ruleset (nft -j list ruleset JSON, or iptables-save output) instead', (c, v) => (c.options.rulesetFile = v)),
    value(['--scan'], 'FILE', 'a scan of this host (nmap XML or portscope JSON): mark observed != predicted', (c, v) => (c.options.scanFile = v)),
    flag(['--json'], 'JSON on stdout (schema: docs/schema/explain.schema.json)', (c) => (c.json = true)),
    flag(['-h', '--help'], 'this help', (c) => (c.help = true)),
  ],
  footer: 'Exit status: 0 explained; 2 bad option, unreadable ruleset or scan file, or no permission to read the firewall.',
  init: () => ({ options: {}, json: false, help: false }),
};

/** -p after -sT/-sU: one port list for the protocols asked (T:/U: prefixes select per protocol only in scan). */
export function finishExplain(cli: ExplainCli): ExplainCli {
  const o = cli.options;
  if (cli.spec !== undefined) {
    const sel = parsePortSpec(cli.spec, o.udp ? (o.tcp ? ['tcp', 'udp'] : ['udp']) : ['tcp']);
    o.ports = [...new Set([...(o.udp ? sel.udp : []), ...(!o.udp || o.tcp ? sel.tcp : [])])].sort((a, b) => a - b);
  }
  if (o.onlyPorts && o.ports === undefined) throw new OptionError('explain: --only-ports needs -p');
  return cli;
}

export interface CloseCli {
  target?: string;
  apply: boolean;
  undo: boolean;
  json: boolean;
  help: boolean;
}

type CloseOpt = OptionSpec<CloseCli>;
const closeFlag = (names: string[], help: string, apply: (c: CloseCli) => void): CloseOpt => ({ names, group: OPTIONS, help, apply });

export const CLOSE_COMMAND: CommandSpec<CloseCli> = {
  name: 'close',
  usage: ['PORT[/tcp|/udp] [--apply | --undo] [--json]'],
  description: `The exact steps to close a port on this host: stop and disable the systemd unit that owns the listener,
and a drop rule in portscope's own nftables table (table inet portscope; 'ufw deny' when ufw manages the
host, firewall-cmd steps when firewalld does). Without --apply nothing changes. See docs/firewall.md.`,
  style: 'posix',
  options: [
    closeFlag(['--apply'], '(root) add the drop rule to table inet portscope, atomically (nft -f), idempotently;\nno other table is touched; loopback keeps access', (c) => (c.apply = true)),
    closeFlag(['--undo'], '(root) remove the port from table inet portscope again', (c) => (c.undo = true)),
    closeFlag(['--json'], 'the plan as JSON', (c) => (c.json = true)),
    closeFlag(['-h', '--help'], 'this help', (c) => (c.help = true)),
  ],
  operand: {
    name: 'PORT',
    apply: (c, v) => {
      if (c.target !== undefined) throw new OptionError(`close: one port at a time (got "${c.target}" and "${v}")`);
      c.target = v;
    },
  },
  footer: 'Exit status: 0 done (or nothing to do); 2 bad arguments, not root for --apply/--undo, or nft failed.',
  init: () => ({ apply: false, undo: false, json: false, help: false }),
};

/** PORT[/tcp|/udp] and the flags → the library's options. */
export function closeOptions(cli: CloseCli): CloseOptions {
  if (cli.target === undefined) throw new OptionError('close: which port? (portscope close PORT[/tcp|/udp])');
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(cli.target);
  if (!m) throw new OptionError(`close: "${cli.target.slice(0, 40)}" is not PORT or PORT/tcp or PORT/udp`);
  const options: CloseOptions = { port: Number(m[1]), protocol: (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp' };
  if (cli.apply) options.apply = true;
  if (cli.undo) options.undo = true;
  return options;
}

/** explain's arguments → the library's options (tests and the command). */
export function parseExplainArgs(argv: readonly string[]): { options: ExplainOptions; json: boolean; help: boolean } {
  const cli = parseCommandLine(EXPLAIN_COMMAND, argv);
  if (cli.help) return { options: cli.options, json: cli.json, help: true };
  finishExplain(cli);
  return { options: cli.options, json: cli.json, help: false };
}

/** close's arguments → the library's options (tests and the command). */
export function parseCloseArgs(argv: readonly string[]): { options: CloseOptions; json: boolean; help: boolean } {
  const cli = parseCommandLine(CLOSE_COMMAND, argv);
  if (cli.help) return { options: { port: 0, protocol: 'tcp' }, json: false, help: true };
  return { options: closeOptions(cli), json: cli.json, help: false };
}

// Direct imports rather than ../index.js: `explain` need not load the scan engine, the store and the
// audit (the command runs once per namespace in the lab's oracle; startup time is most of its cost).
import { explain, type ExplainOptions } from '../api/explain.js';
import { OptionError, PortscopeError } from '../model/index.js';
import { renderExplainJson, renderExplainText } from '../output/explain-render.js';
import { parsePortSpec } from '../ports/spec.js';
import type { CliIO } from './io.js';
import { optionTokens } from './option-tokens.js';

export const EXPLAIN_HELP = `Usage: portscope explain [options]

Why is each port reachable? For every listening socket (and every port given with -p): the bound address,
the process and its systemd unit, the firewall rule that decides a new connection from outside, and the
state a scan should observe. Reading the live firewall needs root. See docs/firewall.md.

  -p SPEC            also explain these ports (nmap syntax: 22,80,8000-8100, - for all)
  --only-ports       only the -p ports, not every listening socket
  -sU                UDP instead of TCP; -sTU (or -sT -sU): both
  --from ADDR[,ADDR] source address of the connection, one per family (rules on saddr are indeterminate
                     without it); only those families are explained
  --iface NAME       input interface (default: the default route's interface)
  --ruleset FILE     evaluate this ruleset (nft -j list ruleset JSON, or iptables-save output) instead
  --scan FILE        a scan of this host (nmap XML or portscope JSON): mark observed ≠ predicted
  --json             JSON on stdout (schema: docs/schema/explain.schema.json)
  -h, --help         this help
`;

const VALUE_OPTIONS = new Set(['-p', '--from', '--iface', '--ruleset', '--scan']);

export function parseExplainArgs(argv: readonly string[]): { options: ExplainOptions; json: boolean; help: boolean } {
  const options: ExplainOptions = {};
  let json = false;
  let help = false;
  let spec: string | undefined;
  for (const { arg, value } of optionTokens(argv, VALUE_OPTIONS)) {
    switch (arg) {
      case '-h': case '--help': help = true; break;
      case '-p': spec = value!; break;
      case '--only-ports': options.onlyPorts = true; break;
      case '-sU': options.udp = true; break;
      case '-sT': options.tcp = true; break;
      case '-sTU': case '-sUT': options.tcp = true; options.udp = true; break;
      case '--from': options.from = value!.split(','); break;
      case '--iface': options.iface = value!; break;
      case '--ruleset': options.rulesetFile = value!; break;
      case '--scan': options.scanFile = value!; break;
      case '--json': json = true; break;
      default:
        throw new OptionError(arg.startsWith('-') ? `explain: unknown option "${arg}" (see portscope explain --help)` : `explain: unexpected argument "${arg}"`);
    }
  }
  if (spec !== undefined) {
    const sel = parsePortSpec(spec, options.udp ? (options.tcp ? ['tcp', 'udp'] : ['udp']) : ['tcp']);
    // One port list for both protocols: T:/U: prefixes select per protocol only in scan (explain lists the union).
    options.ports = [...new Set([...(options.udp ? sel.udp : []), ...(!options.udp || options.tcp ? sel.tcp : [])])].sort((a, b) => a - b);
  }
  if (options.onlyPorts && options.ports === undefined) throw new OptionError('explain: --only-ports needs -p');
  return { options, json, help };
}

/** `portscope explain`: 0 ok; 2 bad options, unreadable ruleset or scan file, or no permission. */
export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  try {
    const cli = parseExplainArgs(argv);
    if (cli.help) {
      io.stdout.write(EXPLAIN_HELP);
      return 0;
    }
    const result = await explain(cli.options);
    io.stdout.write(cli.json ? renderExplainJson(result) : renderExplainText(result));
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}

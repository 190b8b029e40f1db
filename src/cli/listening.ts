import { optionTokens } from './option-tokens.js';
import { hostname } from 'node:os';
import { listening, type ListeningOptions } from '../api/listening.js';
import { parsePortList } from '../local/filter.js';
import { OptionError, PortscopeError } from '../model/index.js';
import { renderListeningJson, type ListeningReportMeta } from '../output/listening-json.js';
import { renderListeningTable } from '../output/listening-table.js';
import { renderListeningXml } from '../output/listening-xml.js';
import { VERSION } from '../version.js';
import type { CliIO } from './io.js';
import { openSink, type Sink } from './sinks.js';

export const LISTENING_HELP = `Usage: portscope listening [options]   (alias: ls)

This machine's listening TCP sockets and bound UDP sockets, with the processes holding them, their users,
and who can reach them (loopback only, one interface, all interfaces). Run as root to see every process.

Filters (all given filters must match):
  -t, --tcp              TCP sockets (with --udp: both)
  -u, --udp              UDP sockets
  --public               only sockets reachable from other hosts (not loopback-only)
  -p, --port LIST        ports, e.g. 22,80,8000-8010
  --process TEXT         process name or command line containing TEXT (case-insensitive), or a pid
  --user NAME            processes of user NAME (or numeric uid)

Source:
  --netns NAME           read network namespace NAME (Linux, root; see ip netns list)

Output:
  --json                 JSON on stdout instead of the table (schema: docs/schema/listening.schema.json)
  -oJ FILE               also write JSON to FILE ('-' for stdout)
  -oX FILE               also write XML to FILE ('-' for stdout)
  -v, --verbose          add the COMMAND column to the table
  --no-color             no colour in the table (also: NO_COLOR set, or stdout not a terminal)
  -h, --help             this help

Fleet (docs/fleet.md):
  --save                 store the sockets with this machine's identity in the history database
  --db PATH|URL          history database: a SQLite file or a postgres:// URL (implies --save)
  --machine-id ID        this machine's id instead of /etc/machine-id (also $PORTSCOPE_MACHINE_ID)
  --hostname NAME        the name stored for this machine instead of its hostname (also $PORTSCOPE_HOSTNAME)
`;

interface ListeningCli {
  options: ListeningOptions;
  outputs: { kind: 'json' | 'xml'; path: string }[];
  verbose: boolean;
  noColor: boolean;
  help: boolean;
  // ---- fleet (issue 14) ----
  save: boolean;
  db?: string;
  machineId?: string;
  hostname?: string;
  // ---- end fleet ----
}

const VALUE_OPTIONS = new Set(['-p', '--port', '--process', '--user', '--netns', '-oJ', '-oX', /* fleet: */ '--db', '--machine-id', '--hostname']);

export function parseListeningArgs(argv: readonly string[]): ListeningCli {
  const cli: ListeningCli = { options: {}, outputs: [], verbose: false, noColor: false, help: false, save: false };
  for (const { arg, value } of optionTokens(argv, VALUE_OPTIONS)) {
    switch (arg) {
      case '-h': case '--help': cli.help = true; break;
      case '-t': case '--tcp': cli.options.tcp = true; break;
      case '-u': case '--udp': cli.options.udp = true; break;
      case '--public': cli.options.public = true; break;
      case '-p': case '--port': cli.options.ports = [...(cli.options.ports ?? []), ...parsePortList(value!)]; break;
      case '--process': cli.options.process = value!; break;
      case '--user': cli.options.user = value!; break;
      case '--netns': cli.options.netns = value!; break;
      case '--json': cli.outputs.push({ kind: 'json', path: '-' }); break;
      case '-oJ': cli.outputs.push({ kind: 'json', path: value! }); break;
      case '-oX': cli.outputs.push({ kind: 'xml', path: value! }); break;
      case '-v': case '--verbose': cli.verbose = true; break;
      case '--no-color': cli.noColor = true; break;
      // ---- fleet (issue 14) ----
      case '--save': cli.save = true; break;
      case '--db': cli.db = value!; cli.save = true; break;
      case '--machine-id': cli.machineId = value!; break;
      case '--hostname': cli.hostname = value!; break;
      // ---- end fleet ----
      default:
        throw new OptionError(arg.startsWith('-') ? `listening: unknown option "${arg}" (see portscope listening --help)` : `listening: unexpected argument "${arg}"`);
    }
  }
  if (cli.outputs.filter((o) => o.path === '-').length > 1) throw new OptionError('only one output can go to stdout');
  return cli;
}

/**
 * `portscope listening`: returns the exit code (0 ok; 1 the sockets could not be read or an output could not
 * be written; 2 bad options or an output file that cannot be opened).
 */
export async function runListening(argv: string[], io: CliIO): Promise<number> {
  let cli: ListeningCli;
  try {
    cli = parseListeningArgs(argv);
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
  if (cli.help) {
    io.stdout.write(LISTENING_HELP);
    return 0;
  }
  // Output files are opened first, so that a path we cannot write is reported before any work (exit 2).
  const sinks: { kind: 'json' | 'xml'; sink: Sink }[] = [];
  try {
    for (const o of cli.outputs) sinks.push({ kind: o.kind, sink: openSink(o.path, io.stdout) });
  } catch (err) {
    for (const o of sinks) o.sink.close();
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
  let sockets;
  try {
    sockets = await listening(cli.options);
  } catch (err) {
    for (const o of sinks) o.sink.close();
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return err instanceof OptionError ? 2 : 1;
  }
  const meta: ListeningReportMeta = { version: VERSION, generatedAt: new Date().toISOString(), hostname: hostname() };
  if (cli.options.netns !== undefined) meta.netns = cli.options.netns;
  try {
    for (const o of sinks) o.sink.write(o.kind === 'json' ? renderListeningJson(sockets, meta) : renderListeningXml(sockets, meta));
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 1;
  } finally {
    for (const o of sinks) o.sink.close();
  }
  // ---- fleet (issue 14): after the outputs, as scan --save ----
  if (cli.save) {
    try {
      const { saveListening } = await import('../api/fleet.js');
      const r = await saveListening({ sockets, env: io.env, ...(cli.db === undefined ? {} : { db: cli.db }), ...(cli.machineId === undefined ? {} : { machineId: cli.machineId }), ...(cli.hostname === undefined ? {} : { hostname: cli.hostname }) });
      io.stderr.write(`portscope: saved ${sockets.length} sockets of ${r.snapshot.hostname} (machine ${r.snapshot.machineId}) as snapshot #${r.id} in ${r.db}\n`);
    } catch (err) {
      if (!(err instanceof PortscopeError)) throw err;
      io.stderr.write(`portscope: ${err.message}\n`);
      return 2;
    }
  }
  // ---- end fleet ----
  if (!cli.outputs.some((o) => o.path === '-')) {
    const color = io.stdoutIsTTY && !cli.noColor && !('NO_COLOR' in io.env);
    io.stdout.write(renderListeningTable(sockets, { color, verbose: cli.verbose }));
  }
  return 0;
}

/** `portscope merge A.xml B.xml … -oX ALL.xml`: one scan from the files of its shards or resumed parts. */
import { formats, mergeScanFiles, OptionError } from '../index.js';
import type { OutputWriter } from '../output/types.js';
import { parseCommandArgs } from './history.js';
import type { CliIO } from './io.js';
import { openSink, type Sink } from './sinks.js';

const HELP = `Usage: portscope merge FILE... [-oN FILE] [-oX FILE] [-oG FILE] [-oJ FILE]

Merge scan files of parts of one scan (--shards, --resume runs): nmap or portscope XML, portscope JSON.
Each host appears once (its ports united; up if any part found it up), each port once. Without -o
options the normal output goes to stdout; "-" writes a format to stdout.
`;

const KINDS = { '-oN': 'normal', '-oX': 'xml', '-oG': 'grepable', '-oJ': 'json' } as const;

export async function runMerge(argv: string[], io: CliIO, commandLine: string): Promise<number> {
  const { flags, positional } = parseCommandArgs(argv, { '-oN': 'value', '-oX': 'value', '-oG': 'value', '-oJ': 'value', '-h': 'bool', '--help': 'bool' }, 'merge');
  if (flags.has('-h') || flags.has('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positional.length === 0) throw new OptionError('merge needs at least one FILE');
  const merged = mergeScanFiles(positional, commandLine);
  const outputs: { sink: Sink; writer: OutputWriter }[] = [];
  try {
    for (const [flag, kind] of Object.entries(KINDS)) {
      const path = flags.get(flag);
      if (path !== undefined) outputs.push({ sink: openSink(path, io.stdout), writer: formats[kind]({ openOnly: false, reason: true, verbose: 0, color: false }) });
    }
    if (outputs.length === 0) outputs.push({ sink: openSink('-', io.stdout), writer: formats.normal({ openOnly: false, reason: false, verbose: 0, color: false }) });
    for (const o of outputs) {
      o.sink.write(o.writer.start(merged.start));
      for (const h of merged.hosts) o.sink.write(o.writer.host(h));
      o.sink.write(o.writer.end(merged.summary));
    }
  } finally {
    for (const o of outputs) o.sink.close();
  }
  return 0;
}

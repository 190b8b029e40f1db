/** `portscope merge A.xml B.xml … -oX ALL.xml`: one scan from the files of its shards or resumed parts. */
import { formatNamed, OptionError, SCAN_FORMATS, type OutputWriter } from '../entry/scan.js';
// Not in the scan entry: the file readers (XML parser, JSON schema validator) would cost every scan ~0.2 s of start-up.
import { mergeScanFiles } from '../index.js';
import type { CliIO } from './io.js';
import { MERGE_COMMAND } from './merge-options.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';
import { openSink, type Sink } from './sinks.js';

export async function runMerge(argv: string[], io: CliIO, commandLine: string): Promise<number> {
  const cli = parseCommandLine(MERGE_COMMAND, argv);
  if (cli.help) {
    io.stdout.write(renderHelp(MERGE_COMMAND));
    return 0;
  }
  if (cli.files.length === 0) throw new OptionError('merge needs at least one FILE');
  const merged = mergeScanFiles(cli.files, commandLine);
  const outputs: { sink: Sink; writer: OutputWriter }[] = [];
  try {
    for (const o of cli.outputs) outputs.push({ sink: openSink(o.path, io.stdout), writer: formatNamed(SCAN_FORMATS, o.kind).render({ openOnly: false, reason: true, verbose: 0, color: false }) });
    if (outputs.length === 0) outputs.push({ sink: openSink('-', io.stdout), writer: formatNamed(SCAN_FORMATS, 'normal').render({ openOnly: false, reason: false, verbose: 0, color: false }) });
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

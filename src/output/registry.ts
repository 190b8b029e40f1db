/**
 * Every output format of every command, one descriptor each: `{name, flag, ext, help, render}`. The CLI's
 * output options, its help, the man page and the shell completions are generated from these tables, so a new
 * format is one new file (the renderer) and one line in its table: scan and listening formats here, the
 * audit and diff formats in registry-reports.ts (kept apart so that a scan does not load the report renderers).
 */
import { grepableFormat } from './grepable.js';
import { jsonFormat } from './json.js';
import { renderListeningJson, type ListeningReportMeta } from './listening-json.js';
import { renderListeningXml } from './listening-xml.js';
import { normalFormat } from './normal.js';
import type { ListeningSocket } from '../model/index.js';
import type { OutputFactory } from './types.js';
import { xmlFormat } from './xml.js';

export interface FormatDescriptor<Render> {
  /** The format's name: the value of `--format`, and the key programs use. */
  readonly name: string;
  /** The option that writes this format to a FILE (`-oX`), if there is one. */
  readonly flag?: string;
  /** File name extension, without the dot: `-oA BASE` writes BASE.ext for each scan format that has one. */
  readonly ext?: string;
  /** One line for help. */
  readonly help: string;
  readonly render: Render;
}

/** `portscope scan`: streaming writers (nmap's -oN/-oX/-oG, and -oJ), in -oA's order. */
export const SCAN_FORMATS: readonly FormatDescriptor<OutputFactory>[] = [
  { name: 'normal', flag: '-oN', ext: 'nmap', help: 'normal output', render: normalFormat },
  { name: 'xml', flag: '-oX', ext: 'xml', help: 'nmap-compatible XML (ndiff, python-libnmap, nmap.dtd)', render: xmlFormat },
  { name: 'grepable', flag: '-oG', ext: 'gnmap', help: 'grepable output', render: grepableFormat },
  { name: 'json', flag: '-oJ', ext: 'json', help: 'JSON (docs/output-formats.md, docs/schema/scan.schema.json)', render: jsonFormat },
];

/** `portscope listening`'s file formats (the table on stdout is its screen view). */
export const LISTENING_FORMATS: readonly FormatDescriptor<(sockets: readonly ListeningSocket[], meta: ListeningReportMeta) => string>[] = [
  { name: 'json', flag: '-oJ', ext: 'json', help: 'JSON (docs/schema/listening.schema.json)', render: renderListeningJson },
  { name: 'xml', flag: '-oX', ext: 'xml', help: 'XML', render: renderListeningXml },
];

/** The descriptor called `name` (throws on a name that is not in the table: a programming error). */
export function formatNamed<R>(table: readonly FormatDescriptor<R>[], name: string): FormatDescriptor<R> {
  const d = table.find((f) => f.name === name);
  if (!d) throw new RangeError(`no format "${name}"`);
  return d;
}

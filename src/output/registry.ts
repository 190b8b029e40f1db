/**
 * Every output format of every command, one descriptor each: `{name, flag, ext, help, render}`. The CLI's
 * output options, its help, the man page and the shell completions are generated from these tables, so a new
 * format is one new file (the renderer) and one line in its table: scan formats here, listening's in
 * registry-listening.ts, audit's in registry-audit.ts, diff's in registry-diff.ts (apart, so that each command loads only
 * its own renderers). The descriptor type: format-descriptor.ts.
 */
import { grepableFormat } from './grepable.js';
import type { FormatDescriptor } from './format-descriptor.js';
import { jsonFormat } from './json.js';
import { normalFormat } from './normal.js';
import type { OutputFactory } from './types.js';
import { xmlFormat } from './xml.js';

/** `portscope scan`: streaming writers (nmap's -oN/-oX/-oG, and -oJ), in -oA's order. */
export const SCAN_FORMATS: readonly FormatDescriptor<OutputFactory>[] = [
  { name: 'normal', flag: '-oN', ext: 'nmap', help: 'normal output', render: normalFormat },
  { name: 'xml', flag: '-oX', ext: 'xml', help: 'nmap-compatible XML (ndiff, python-libnmap, nmap.dtd)', render: xmlFormat },
  { name: 'grepable', flag: '-oG', ext: 'gnmap', help: 'grepable output', render: grepableFormat },
  { name: 'json', flag: '-oJ', ext: 'json', help: 'JSON (docs/output-formats.md, docs/schema/scan.schema.json)', render: jsonFormat },
];

export { formatNamed, type FormatDescriptor } from './format-descriptor.js';

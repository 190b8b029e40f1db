/**
 * The output formats, one file each, registered in one table: adding a format is one new file and one line
 * here. Every format is a pure function of scan events (types.ts); the CLI does the writing.
 */
import { grepableFormat } from './grepable.js';
import { jsonFormat } from './json.js';
import { normalFormat } from './normal.js';
import type { OutputFactory } from './types.js';
import { xmlFormat } from './xml.js';

export type OutputKind = 'normal' | 'grepable' | 'xml' | 'json';

export const formats: Record<OutputKind, OutputFactory> = {
  normal: normalFormat,
  grepable: grepableFormat,
  xml: xmlFormat,
  json: jsonFormat,
};

export type { OutputFactory, OutputOptions, OutputWriter } from './types.js';
export type { JsonExtraPorts, JsonHost, JsonPort, JsonScan, JsonSummary } from './json-model.js';

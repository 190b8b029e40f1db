/**
 * The output formats, one file each, registered in one table (registry.ts's SCAN_FORMATS): adding a
 * format is one new file and one line there. Every format is a pure function of scan events (types.ts);
 * the CLI does the writing.
 */
import { SCAN_FORMATS } from './registry.js';
import type { OutputFactory } from './types.js';

export type OutputKind = 'normal' | 'grepable' | 'xml' | 'json';

/** The scan formats by name (the library's `formats`), made from registry.ts's SCAN_FORMATS: one table, not two. */
export const formats = Object.fromEntries(SCAN_FORMATS.map((f) => [f.name, f.render])) as Record<OutputKind, OutputFactory>;

export type { OutputFactory, OutputOptions, OutputWriter } from './types.js';
export type { JsonExtraPorts, JsonHost, JsonPort, JsonScan, JsonSummary } from './json-model.js';

import { VERSION } from '../entry/core.js';
import { docCommands } from './completion.js';
import { manPage } from './docs/man.js';
import { renderHelp } from './options/help.js';
import { SCAN_COMMAND } from './scan-options.js';

/** portscope(1) as generated now from the tables (scripts/gen-man.mjs writes it to man/portscope.1). */
export async function renderManPage(): Promise<string> {
  return manPage(VERSION, await docCommands());
}

const README_HEADING = '### All options (`portscope scan --help`)';

/** README.md with its "All options" block replaced by `portscope scan --help` (and nothing else changed). */
export async function readmeWithScanHelp(readme: string): Promise<string> {
  const lines = readme.split('\n');
  const start = lines.indexOf(README_HEADING);
  if (start < 0 || lines[start + 1] !== '```') throw new Error(`README.md: no "${README_HEADING}" block`);
  let end = start + 2;
  while (end < lines.length && lines[end] !== '```') end++;
  lines.splice(start + 2, end - start - 2, ...renderHelp(SCAN_COMMAND).trimEnd().split('\n'));
  return lines.join('\n');
}

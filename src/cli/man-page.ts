import { VERSION } from '../entry/core.js';
import { docCommands } from './completion.js';
import { manPage } from './docs/man.js';

/** portscope(1) as generated now from the tables (scripts/gen-man.mjs writes it to man/portscope.1). */
export async function renderManPage(): Promise<string> {
  return manPage(VERSION, await docCommands());
}

#!/usr/bin/env node
// Writes man/portscope.1 and README.md's "All options" block from the CLI's command and option tables (run
// after the build: npm run man). test/unit/cli/man.test.ts fails when either differs from what this writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { renderManPage, readmeWithScanHelp } = await import(`${root}dist/src/cli/man-page.js`);
writeFileSync(`${root}man/portscope.1`, await renderManPage());
writeFileSync(`${root}README.md`, await readmeWithScanHelp(readFileSync(`${root}README.md`, 'utf8')));
console.log('wrote man/portscope.1 and README.md (All options)');

#!/usr/bin/env node
// Writes man/portscope.1 from the CLI's command and option tables (run after the build: npm run man).
// test/unit/cli/man.test.ts fails when the committed page differs from what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { renderManPage } = await import(`${root}dist/src/cli/man-page.js`);
writeFileSync(`${root}man/portscope.1`, await renderManPage());
console.log('wrote man/portscope.1');

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { docCommands } from '../../../src/cli/completion.js';
import { roff } from '../../../src/cli/docs/man.js';
import { renderManPage } from '../../../src/cli/man-page.js';
import { optionLabel } from '../../../src/cli/options/help.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PAGE = `${ROOT}man/portscope.1`;

test('the committed man page is the one generated from the option tables (regenerate: npm run man)', async () => {
  assert.equal(readFileSync(PAGE, 'utf8'), await renderManPage());
});

test('the man page lists every command and every option that --help lists', async () => {
  const page = await renderManPage();
  const missing: string[] = [];
  for (const c of await docCommands()) {
    if (!page.includes(`.B ${roff(c.name)}`)) missing.push(c.name);
    for (const o of c.spec?.options ?? []) if (!o.hidden && !page.includes(`.B ${roff(optionLabel(o))}\n`)) missing.push(`${c.name} ${optionLabel(o)}`);
  }
  assert.deepEqual(missing, []);
});

test('groff reads the page without a warning, and it is ASCII', () => {
  const r = spawnSync('groff', ['-man', '-ww', '-z', PAGE], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'groff (Debian: groff-base) is needed for this test');
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  assert.ok(
    [...readFileSync(PAGE, 'utf8')].every((ch) => ch.charCodeAt(0) < 0x80),
    'non-ASCII character in the page',
  );
});

test('package.json installs the page as portscope(1)', () => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { man: string[]; files: string[] };
  assert.deepEqual(pkg.man, ['./man/portscope.1']);
  assert.ok(pkg.files.includes('man'));
});

test("README's All options block is portscope scan --help (regenerate: npm run man)", async () => {
  const { readmeWithScanHelp } = await import('../../../src/cli/man-page.js');
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  assert.equal(readme, await readmeWithScanHelp(readme));
});

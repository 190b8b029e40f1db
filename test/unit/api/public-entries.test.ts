import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { exports: Record<string, { default: string; types: string }> };

test('every package.json exports subpath loads and is the same bindings as the main entry', async () => {
  const main = (await import(`${ROOT}${pkg.exports['.']!.default}`)) as Record<string, unknown>;
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.');
  assert.deepEqual(subpaths.sort(), ['./audit', './core', './diff', './firewall', './fleet', './history', './import', './listening', './scan', './watch']);
  for (const sub of subpaths) {
    const mod = (await import(`${ROOT}${pkg.exports[sub]!.default}`)) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, sub);
    for (const [name, value] of Object.entries(mod)) assert.equal(value, main[name], `${sub} exports ${name}, which the main entry does not (or differently)`);
  }
});

/** May a file of src/cli (path relative to it) import `spec`? node:, its own files, the public entries. */
export function cliMayImport(file: string, spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  const up = '../'.repeat(file.split('/').length);
  const rel = spec.startsWith(up) ? spec.slice(up.length) : null;
  if (rel !== null) return rel === 'index.js' || /^entry\/[\w-]+\.js$/.test(rel);
  return spec.startsWith('./') || spec.startsWith('../'); // within src/cli (a deeper ../ was handled above)
}

// STYLE.md: cli/ imports only the public API (src/index.ts or its subpaths src/entry/*), never a domain module.
test('src/cli imports nothing but node:, its own files and the public entries', () => {
  assert.equal(cliMayImport('scan.ts', '../api/scan.js'), false);
  assert.equal(cliMayImport('options/parse.ts', '../../model/index.js'), false);
  assert.equal(cliMayImport('options/parse.ts', '../../entry/core.js'), true);
  assert.equal(cliMayImport('options/parse.ts', '../scan-options.js'), true);
  const dir = `${ROOT}src/cli`;
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 10);
  const bad: string[] = [];
  for (const f of files) {
    // Import and export declarations (at a line's start, possibly over several lines) and dynamic imports;
    // not "from '" inside a help text.
    const source = readFileSync(`${dir}/${f}`, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)) {
      const spec = m[1] ?? m[2]!;
      if (!cliMayImport(f, spec)) bad.push(`${f}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

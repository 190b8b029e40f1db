import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { addonStatus, type AddonStatus } from '../../../src/index.js';

// The one addon loader (src/net/addon.ts) against real package layouts: a copy of the compiled loader in a
// temporary package root with a prebuilt file, a compiled one, both, none, or a broken one. Each layout is
// read by a fresh `node` process (the loader caches per process).

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const LOADER = join(REPO, 'dist', 'src', 'net', 'addon.js');
const PREBUILT = join('prebuilds', `linux-${process.arch}`, 'portscope.glibc.node');
const COMPILED = join('build', 'Release', 'portscope.node');
const roots: string[] = [];

after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A package root holding the loader and `files` (relative path → source file, or null for junk bytes). */
function packageWith(files: Record<string, string | null>): string {
  const root = mkdtempSync(join(tmpdir(), 'portscope-addon-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'portscope', type: 'module' }));
  writeFileSync(join(root, 'binding.gyp'), '{}');
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, 'dist', 'src', 'net'), { recursive: true });
  copyFileSync(LOADER, join(root, 'dist', 'src', 'net', 'addon.js'));
  for (const [rel, from] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    if (from === null) writeFileSync(join(root, rel), 'not an ELF file');
    else copyFileSync(from, join(root, rel));
  }
  return root;
}

function statusIn(root: string): AddonStatus {
  const script = `import(${JSON.stringify(join(root, 'dist', 'src', 'net', 'addon.js'))}).then((m) => process.stdout.write(JSON.stringify(m.addonStatus())))`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as AddonStatus;
}

/** The addon this checkout uses (compiled by scripts/build-native.mjs, or prebuilt by npm pack). */
function realAddon(): string {
  const s = addonStatus();
  assert.equal(s.backend, 'native', `the addon must be built for these tests: ${s.reason}`);
  assert.ok(s.path);
  return s.path;
}

test('this checkout loads the native addon and names the file it came from', () => {
  const s = addonStatus();
  assert.equal(s.backend, 'native', s.reason);
  assert.ok(s.source === 'compiled' || s.source === 'prebuilt');
  assert.match(s.reason, s.source === 'compiled' ? /^addon compiled from native\/ build\/Release\/.+\.node$/ : /^prebuilt N-API binary prebuilds\/linux-.+\.node$/);
});

test('a package with only the prebuilt binary loads it as prebuilt', () => {
  const s = statusIn(packageWith({ [PREBUILT]: realAddon() }));
  assert.equal(s.backend, 'native');
  assert.equal(s.source, 'prebuilt');
  assert.equal(s.reason, `prebuilt N-API binary ${PREBUILT}`);
});

test('an addon compiled in the package wins over the prebuilt one', () => {
  const s = statusIn(packageWith({ [PREBUILT]: realAddon(), [COMPILED]: realAddon() }));
  assert.equal(s.source, 'compiled');
  assert.equal(s.reason, `addon compiled from native/ ${COMPILED}`);
});

test('without a prebuilt or compiled addon the node backend is used, and the reason says so', () => {
  const s = statusIn(packageWith({}));
  assert.deepEqual(s, { backend: 'node', source: 'none', reason: `no prebuilt addon for linux-${process.arch} and none compiled (node scripts/build-native.mjs compiles it)` });
});

test('a prebuilt file that does not load falls back to the node backend and names the file', () => {
  const s = statusIn(packageWith({ [PREBUILT]: null }));
  assert.equal(s.backend, 'node');
  assert.equal(s.source, 'none');
  assert.match(s.reason, new RegExp(`^the prebuilt addon ${PREBUILT.replace(/[.]/g, '\\.')} failed to load \\(.+\\)$`));
});

#!/usr/bin/env node
// `npm run lint:package`: packs the package once (prepack builds) and checks the tarball as the registry would
// serve it: publint (package.json fields, exports, files) and are-the-types-wrong (types resolve for ESM
// importers under node16/bundler resolution; CommonJS require() of this ESM-only package is out of scope,
// hence attw's esm-only profile). Exits non-zero on any problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'portscope-lint-package-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
let status = 0;
try {
  const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (pack.status !== 0) throw new Error(`npm pack failed (exit ${pack.status})`);
  const tarball = join(dir, pack.stdout.trim().split('\n').pop());
  for (const [cmd, args] of [
    [bin('publint'), ['run', tarball, '--strict']],
    [bin('attw'), [tarball, '--profile', 'esm-only']],
  ]) {
    const r = run(cmd, args);
    if (r.status !== 0) status = r.status ?? 1;
  }
} catch (err) {
  console.error(`lint:package: ${err.message}`);
  status = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);

/**
 * Installing portscope as a user does: `npm pack` (prepack builds dist/ and prebuilds/), then `npm install --global --prefix EMPTY
 * --ignore-scripts TARBALL` with a PATH that holds only `node`, `npm` and `sh` (no gcc, cc, g++, c++, make).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (compiled: dist/test/install → root). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const COMPILERS = ['gcc', 'cc', 'g++', 'c++', 'clang', 'make'];

export interface Installed {
  dir: string;
  /** PATH for everything the test runs: the node/npm-only folder, then the prefix's bin. */
  path: string;
  bin: string;
  tarball: string;
  packLog: string;
  installLog: string;
  remove(): void;
}

/** The npm CLI script the machine's `npm` runs (its bin is a symlink into npm's folder). */
function npmCli(): string {
  const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return join(dirname(dirname(realpathSync(which))), 'bin', 'npm-cli.js');
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; path: string; env?: NodeJS.ProcessEnv; timeout?: number }): SpawnSyncReturns<string> {
  return spawnSync(cmd, [...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: opts.timeout ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    // The whole environment (npm's registry settings, CA certificates for a TLS proxy), with PATH replaced.
    env: { ...process.env, ...opts.env, PATH: opts.path },
  });
}

export function packAndInstall(): Installed {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-install-'));
  const tools = join(dir, 'tools');
  const prefix = join(dir, 'prefix');
  mkdirSync(tools);
  mkdirSync(prefix);
  symlinkSync(process.execPath, join(tools, 'node'));
  // npm runs lifecycle scripts (prepack) with `sh -c`; a shell is not a compiler.
  symlinkSync('/bin/sh', join(tools, 'sh'));
  writeFileSync(join(tools, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmCli()}" "$@"\n`);
  chmodSync(join(tools, 'npm'), 0o755);
  const path = `${tools}:${join(prefix, 'bin')}`;
  // npm pack is the maintainer's step: prepack builds dist/ and the prebuilt addon (prebuildify), with the
  // machine's compiler. Only the user's install below runs without one.
  const pack = run(join(tools, 'npm'), ['pack', '--pack-destination', dir, '--loglevel=info'], { cwd: ROOT, path: `${tools}:${process.env.PATH}`, timeout: 600_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed (exit ${pack.status}):\n${pack.stderr}`);
  const tarball = join(dir, pack.stdout.trim().split('\n').pop()!);
  const install = run(join(tools, 'npm'), ['install', '--global', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=verbose', tarball], { cwd: dir, path, timeout: 600_000 });
  if (install.status !== 0) throw new Error(`npm install failed (exit ${install.status}):\n${install.stderr.slice(-4000)}`);
  return {
    dir,
    path,
    bin: join(prefix, 'bin', 'portscope'),
    tarball,
    packLog: pack.stderr,
    installLog: `${install.stdout}\n${install.stderr}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

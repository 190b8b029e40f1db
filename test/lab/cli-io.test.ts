import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PORTSCOPE } from './support/cli.js';

// Issue 10 items 7-9 through the real CLI: a stdout that cannot be written, files that are not regular files,
// and --dry-run's "send nothing" for names. Loopback and temp files only; the one scan is a dry run.

const tmp = mkdtempSync(join(tmpdir(), 'portscope-io-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The CLI with stdout sent to `stdoutPath` (a shell redirection, as a user would) or captured. */
function cli(args: string[], stdoutPath?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const [cmd, argv] = stdoutPath === undefined ? [process.execPath, [PORTSCOPE, ...args]] : ['/bin/sh', ['-c', 'exec "$0" "$@" > "$STDOUT_PATH"', process.execPath, PORTSCOPE, ...args]];
    execFile(cmd, argv as string[], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, STDOUT_PATH: stdoutPath ?? '', NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const DEV_FULL: string[][] = [
  ['scan', '--dry-run', '-n', '-Pn', '-p', '1-100', '127.0.0.1'],
  ['scan', '--dry-run', '-n', '-Pn', '-p', '1-100', '-oX', '-', '127.0.0.1'],
  ['listening', '--json'],
  ['history', '--db', join(tmp, 'h.db')],
];

for (const args of DEV_FULL) {
  test(`${args.slice(0, 2).join(' ')}${args.includes('-oX') ? ' -oX -' : ''} > /dev/full: one line on stderr, non-zero exit`, async () => {
    const r = await cli(args, '/dev/full');
    assert.equal(r.code, 74, r.stderr);
    assert.deepEqual(r.stderr.split('\n').filter(Boolean), ['portscope: cannot write to standard output: ENOSPC']);
  });
}

test('audit -o SYMLINK writes through the link: the link stays, its target gets the report', async () => {
  const target = join(tmp, 'report-target.txt');
  const link = join(tmp, 'report-link.txt');
  writeFileSync(target, 'old\n');
  symlinkSync(target, link);
  const r = await cli(['audit', '--local', '--no-scan', '-o', link]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the symlink was replaced by a regular file');
  assert.equal(readlinkSync(link), target);
  assert.match(readFileSync(target, 'utf8'), /^portscope .* audit at /);
});

test('audit --init --force --policy SYMLINK keeps the link and writes the policy to its target', async () => {
  const target = join(tmp, 'policy-target.yaml');
  const link = join(tmp, 'policy-link.yaml');
  writeFileSync(target, 'version: 1\n');
  symlinkSync(target, link);
  const r = await cli(['audit', '--init', '--force', '--policy', link]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(link).isSymbolicLink());
  assert.match(readFileSync(target, 'utf8'), /^version: 1\n/m);
  assert.ok(readFileSync(target, 'utf8').length > 'version: 1\n'.length);
});

test('audit -o FIFO writes into the FIFO, which stays a FIFO', async () => {
  const fifo = join(tmp, 'report.fifo');
  execFileSync('mkfifo', [fifo]);
  // The reader is a child process: were the FIFO renamed over, it would stay blocked in open(2) and be killed.
  const read = new Promise<string>((resolve) => {
    execFile('cat', [fifo], { encoding: 'utf8', timeout: 30_000 }, (err, stdout) => resolve(err ? `cat failed: ${err.message}` : stdout));
  });
  const r = await cli(['audit', '--local', '--no-scan', '-o', fifo]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.match(await read, /^portscope .* audit at /);
  assert.ok(lstatSync(fifo).isFIFO(), 'the FIFO was replaced by a regular file');
});

test('audit -o FILE still replaces a regular file atomically (a new inode, no temporary file left)', async () => {
  const file = join(tmp, 'report.txt');
  writeFileSync(file, 'old\n');
  const before = lstatSync(file).ino;
  const r = await cli(['audit', '--local', '--no-scan', '-o', file]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.notEqual(lstatSync(file).ino, before);
  assert.match(readFileSync(file, 'utf8'), /^portscope .* audit at /);
});

test('--dry-run resolves no name: a name is reported unresolved, addresses are scanned', async () => {
  // "localhost" resolves from /etc/hosts through getaddrinfo: it would be scanned as 127.0.0.1 if looked up.
  const r = await cli(['scan', '--dry-run', '-Pn', '-p', '80', 'localhost', '127.0.0.2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /"localhost" not resolved: --dry-run sends nothing, not even name lookups/);
  assert.doesNotMatch(r.stdout, /127\.0\.0\.1|localhost \(/, r.stdout);
  assert.match(r.stdout, /scan report for 127\.0\.0\.2/);
});

test("the walk's dry runs (--dry-run --seed, --list-pairs) resolve no name either", async () => {
  const walk = await cli(['scan', '--dry-run', '--seed', '7', '-Pn', '-p', '80', 'localhost', '127.0.0.2']);
  assert.equal(walk.code, 0, walk.stderr);
  // "localhost" would be 127.0.0.1 if it had been looked up.
  assert.doesNotMatch(walk.stdout, /127\.0\.0\.1|localhost/, walk.stdout);
  assert.match(walk.stdout, /scan report for 127\.0\.0\.2/);
  const pairs = await cli(['scan', '--list-pairs', '--seed', '7', '-p', '80', 'localhost', '127.0.0.2']);
  assert.match(pairs.stderr, /Failed to resolve "localhost"/);
  assert.equal(pairs.stdout, '127.0.0.2 80\n');
});

test('--dry-run refuses a named exclusion rather than scanning without it', async () => {
  const r = await cli(['scan', '--dry-run', '-Pn', '-p', '80', '--exclude', 'localhost', '127.0.0.2']);
  assert.notEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, /excluded host: "localhost" not resolved: --dry-run/);
  assert.doesNotMatch(r.stdout, /scan report for/);
});

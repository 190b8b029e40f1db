/**
 * portscope installed as a user installs it: the packed tarball into an empty prefix, install scripts off,
 * no compiler on PATH. Every command then runs from the installed `bin` (loopback only). History needs a
 * SQLite driver: better-sqlite3 is not built without scripts, so on Node 22.5+ node:sqlite takes over; on
 * older Node, history commands must fail with one line naming the fix (exit 2).
 * One pack + install (~1 min: prepack runs tsc), then 11 command runs.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { COMPILERS, packAndInstall, run, type Installed } from './support.js';

const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);

let inst: Installed;
let server: Server;
let port: number;
let db: string;

before(async () => {
  inst = packAndInstall();
  db = join(inst.dir, 'history.db');
  // A loopback listener that this test owns: every view must find it open.
  server = createServer((c) => c.end()).listen(0, '127.0.0.1');
  await new Promise((res) => server.once('listening', res));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server?.close();
  inst?.remove();
});

function portscope(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = run(inst.bin, args, { cwd: inst.dir, path: inst.path, env: { XDG_DATA_HOME: join(inst.dir, 'xdg') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the install ran with no compiler on PATH and ran no install script (npm log)', () => {
  for (const cc of COMPILERS) {
    const found = run('/bin/sh', ['-c', `command -v ${cc}`], { path: inst.path });
    assert.notEqual(found.status, 0, `${cc} is on the test's PATH: ${found.stdout}`);
  }
  // npm logs every lifecycle script it runs ("npm info run PKG install …"); a build would add node-gyp's
  // "gyp info" lines, prebuild-install's, and make's "CC(target)"/"CXX(target)" (package names such as
  // node-gyp-build appear in fetch lines, so the patterns are of these outputs, not of names).
  assert.doesNotMatch(inst.installLog, /^npm (info|verbose) run /m);
  assert.doesNotMatch(inst.installLog, /^gyp (info|ERR!)|^prebuild-install (info|warn|WARN)|C(C|XX)\(target\)|make: Entering/m);
  assert.match(inst.installLog, /added \d+ packages?/);
});

test('the tarball holds the built JavaScript its bin imports, and no sources or tests', () => {
  const pkg = join(inst.dir, 'prefix', 'lib', 'node_modules', 'portscope');
  assert.ok(existsSync(join(pkg, 'dist', 'src', 'cli', 'main.js')));
  assert.ok(existsSync(join(pkg, 'dist', 'src', 'index.d.ts')));
  assert.ok(!existsSync(join(pkg, 'src')) && !existsSync(join(pkg, 'dist', 'test')) && !existsSync(join(pkg, 'test')));
  assert.match(readFileSync(inst.bin, 'utf8'), /dist\/src\/cli\/main\.js/);
});

test("scan of loopback from the installed bin finds the test's listener open", () => {
  const r = portscope('scan', '-n', '-Pn', '-p', String(port), '-oX', join(inst.dir, 'a.xml'), '127.0.0.1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${port}/tcp +open `, 'm'));
});

test("listening from the installed bin lists the test's listener", () => {
  const r = portscope('listening', '--json', '-p', String(port));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    JSON.parse(r.stdout).sockets.some((s: { port: number }) => s.port === port),
    r.stdout,
  );
});

test('audit from the installed bin reports the listener a policy does not allow', () => {
  const policy = join(inst.dir, 'policy.yaml');
  writeFileSync(policy, 'version: 1\n');
  const r = portscope('audit', '--policy', policy, '--no-scan', '--format', 'json', '--fail-on', 'info');
  assert.equal(r.code, 1, r.stderr);
  assert.ok(JSON.parse(r.stdout).findings.some((f: { port: number }) => f.port === port));
});

test('diff of two scan files from the installed bin', () => {
  const b = portscope('scan', '-n', '-Pn', '-p', String(port), '-oX', join(inst.dir, 'b.xml'), '127.0.0.1');
  assert.equal(b.code, 0, b.stderr);
  const r = portscope('diff', join(inst.dir, 'a.xml'), join(inst.dir, 'b.xml'));
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
});

test('doctor from the installed bin: the prebuilt addon in use, no better-sqlite3, node:sqlite where Node has it', () => {
  const r = portscope('doctor', '--json');
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { backend: { source: string; connect: string; path?: string }; databases: { name: string; available: boolean }[] };
  // linux-x64 is a platform the package ships a binary for (prepack's prebuildify): nothing compiled here.
  assert.deepEqual([report.backend.source, report.backend.connect], ['prebuilt', 'native'], JSON.stringify(report.backend));
  assert.match(report.backend.path ?? '', /\/prefix\/lib\/node_modules\/portscope\/prebuilds\/linux-x64\//);
  const avail = Object.fromEntries(report.databases.map((d) => [d.name, d.available]));
  assert.deepEqual(avail, { 'better-sqlite3': false, 'node:sqlite': hasNodeSqlite, pg: true });
});

if (hasNodeSqlite) {
  test('import, history and watch (one round) from the installed bin store through node:sqlite', () => {
    const imp = portscope('import', '--db', db, join(inst.dir, 'a.xml'), join(inst.dir, 'b.xml'));
    assert.equal(imp.code, 0, imp.stderr);
    const watch = portscope('watch', '-n', '-Pn', '-p', String(port), '127.0.0.1', '--every', '1h', '--rounds', '1', '--db', db);
    assert.equal(watch.code, 0, watch.stderr);
    const hist = portscope('history', '--db', db, '--json');
    assert.equal(hist.code, 0, hist.stderr);
    assert.equal(hist.stderr, '', "no warning (node:sqlite's ExperimentalWarning is silenced)");
    assert.equal(JSON.parse(hist.stdout).scans.length, 3);
    const host = portscope('history', '--db', db, '127.0.0.1');
    assert.equal(host.code, 0, host.stderr);
    assert.match(host.stdout, new RegExp(`\\b${port}/tcp\\b`));
  });
} else {
  test('history from the installed bin fails on this Node with one line naming the fix (exit 2)', () => {
    for (const args of [
      ['history', '--db', db],
      ['import', '--db', db, join(inst.dir, 'a.xml')],
    ]) {
      const r = portscope(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^portscope: no SQLite driver for the history \(.*\); fix: `npm rebuild better-sqlite3`.*Node 22\.5\+.*\n$/);
    }
  });
}

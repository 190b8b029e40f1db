/**
 * `audit --save` → `history --audits` → `diff --audit`, as a user runs them. The audits use --no-scan
 * (inside view only: this machine's sockets, nothing is sent on the network); the one change between the
 * two audits is a listener this test opens, so its finding must be `new` whatever else listens here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portscope-haudit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const skip = process.platform !== 'linux' ? 'the inside view of audit is read from /proc (Linux)' : false;

const run = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [PORTSCOPE, ...args], { encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: join(dir, 'xdg') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('audit --save twice, history --audits lists both, diff --audit shows the new listener', { skip }, async () => {
  const db = join(dir, 'h.db');
  const first = run('audit', '--no-scan', '--format', 'json', '--db', db);
  assert.ok(first.code === 0 || first.code === 1, first.stderr);
  const report1 = JSON.parse(first.stdout) as { summary: { total: number } };
  assert.match(first.stderr, /^portscope: saved as audit #1 in .*h\.db$/m);

  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '0.0.0.0', () => res()));
  const port = (server.address() as AddressInfo).port;
  let second: ReturnType<typeof run>;
  try {
    second = run('audit', '--no-scan', '--save', '--db', db);
  } finally {
    await new Promise<void>((res) => server.close(() => res()));
  }
  assert.equal(second.code, 1, second.stderr); // at least our listener: open-not-allowed (no policy)
  assert.match(second.stdout, new RegExp(`${port}`));
  assert.match(second.stderr, /saved as audit #2 /);

  const list = run('history', '--audits', '--db', db);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^ID\s+STARTED \(UTC\)\s+POLICY\s+HOSTS\s+FINDINGS/m);
  assert.match(list.stdout, /^1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-\s+local\s+\d+/m);
  assert.match(list.stdout, /^2\s+/m);
  const json = JSON.parse(run('history', '--audits', '--json', '--db', db).stdout) as { audits: { id: number; total: number; targets: string[] }[] };
  assert.deepEqual(
    json.audits.map((a) => [a.id, a.targets]),
    [
      [1, ['local']],
      [2, ['local']],
    ],
  );
  assert.equal(json.audits[0]!.total, report1.summary.total);

  const d = run('diff', '--audit', '--json', '--db', db, '1', '#2');
  assert.equal(d.code, 1, d.stderr);
  const doc = JSON.parse(d.stdout) as { kind: string; findings: { kind: string; port: number; host: string; type: string }[] };
  assert.equal(doc.kind, 'audit');
  assert.deepEqual(
    doc.findings.filter((f) => f.port === port).map((f) => [f.kind, f.host, f.type]),
    [['new', 'local', 'open-not-allowed']],
  );
  assert.equal(run('diff', '--audit', '--db', db, '2', '2').code, 0);
  const bad = run('diff', '--audit', '--db', db, '1', '9');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^portscope: no audit with id 9 in .*h\.db/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('audit --save to a database that cannot be opened: the report is complete, one error line, exit 2', { skip }, () => {
  const r = run('audit', '--no-scan', '--format', 'json', '--db', '/dev/null/h.db');
  assert.equal(r.code, 2);
  assert.equal(JSON.parse(r.stdout).tool, 'portscope');
  assert.match(r.stderr, /^portscope: cannot open history database \/dev\/null\/h\.db: /);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('usage errors of audit history flags exit 2 with one line', { skip }, () => {
  for (const args of [
    ['audit', '--init', '--policy', join(dir, 'p.yaml'), '--save'],
    ['history', '--audits', '192.0.2.1'],
    ['diff', '--audit', '1'],
    ['diff', '--audit', '--db', join(dir, 'u.db'), 'a.xml', '2'],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.match(r.stderr, /^portscope: /);
  }
});

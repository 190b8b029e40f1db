/** The history commands as a user runs them: import, history, diff exit codes and one-line errors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/history/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'portscope-hcli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [PORTSCOPE, ...args], { encoding: 'utf8', cwd: FIXTURES, env: { ...process.env, XDG_DATA_HOME: join(dir, 'xdg') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

test('import of a truncated file: exit 2, one line naming file:line:column, nothing imported', () => {
  const db = join(dir, 'a.db');
  const r = run('import', '--db', db, 'a-versions.xml', 'truncated.xml');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^portscope: truncated\.xml:\d+:\d+: truncated XML: the file ends before <\/nmaprun>/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(run('history', '--db', db).stdout, /No scans stored yet/);
});

test('import, history and diff by id: exit 1 on change, 0 without, 2 for an unknown id', () => {
  const db = join(dir, 'b.db');
  const imp = run('import', '--db', db, 'a-versions.xml', 'b-versions.xml');
  assert.equal(imp.code, 0, imp.stderr);
  assert.match(imp.stdout, /imported a-versions\.xml as scan #1 \(3 hosts, 3000 ports\)\nimported b-versions\.xml as scan #2 \(4 hosts, 3000 ports\)/);
  const h = run('history', '--db', db, 'web.example');
  assert.equal(h.code, 0, h.stderr);
  assert.match(h.stdout, /^80\/tcp\s+open\s+http\s+#1 .*#2 /m);
  assert.match(h.stdout, /^443\/tcp\s+filtered\s+https\s+#1 \S+ \S+\s+#1 \S+ \S+\s+#2 open->filtered$/m);
  const d = run('diff', '--db', db, '1', '2');
  assert.equal(d.code, 1, d.stderr);
  assert.match(d.stdout, /192\.0\.2\.13:\s+new host\n\+ 993\/tcp\s+open\s+imaps\s+new/);
  assert.equal(run('diff', '--db', db, '2', '2').code, 0);
  const bad = run('diff', '--db', db, '1', '77');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^portscope: no scan with id 77 in .*b\.db/);
});

test('usage errors of the history commands exit 2 with one line', () => {
  for (const args of [['diff', 'only-one'], ['watch', '127.0.0.1'], ['watch', '--every', '1h'], ['import'], ['history', '--nope'], ['diff', 'missing-a.xml', 'missing-b.xml'], ['history', '--db', 'mysql://x']]) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
    assert.match(r.stderr, /^portscope: /);
  }
});

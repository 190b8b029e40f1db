/**
 * A history that cannot be written (read-only database, full disk) costs one clear error line and exit 2,
 * while the scan's stdout and output files are complete (issue 7, "Reliability").
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HistoryStore } from '../../src/store/index.js';

const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));
const isRoot = process.getuid?.() === 0;
let server: Server;
let port = 0;
let dir = '';

before(async () => {
  server = createServer((c) => c.destroy());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'portscope-ro-'));
  chmodSync(dir, 0o755);
});

after(async () => {
  await new Promise<void>((res) => server.close(() => res()));
  rmSync(dir, { recursive: true, force: true });
});

function checkOutputs(stdout: string, xmlPath: string): void {
  assert.match(stdout, new RegExp(`${port}/tcp\\s+open`));
  assert.match(readFileSync(xmlPath, 'utf8'), /<\/nmaprun>\s*$/);
}

test('scan --save into a read-only database: exit 2, one error line naming the database, outputs written', async () => {
  const db = join(dir, 'ro.db');
  const s = await HistoryStore.open(db, {});
  await s.close();
  chmodSync(db, 0o444);
  const outDir = mkdtempSync(join(dir, 'out-'));
  chmodSync(outDir, 0o777);
  const xml = join(outDir, 'scan.xml');
  // root ignores file modes: run as nobody then (the checkout must be readable by it, as a user's is).
  const cmd = isRoot ? 'runuser' : process.execPath;
  const args = [...(isRoot ? ['-u', 'nobody', '--', process.execPath] : []), PORTSCOPE, 'scan', '-n', '-Pn', '-p', String(port), '127.0.0.1', '--save', '--db', db, '-oX', xml];
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, HOME: outDir } });
  assert.equal(r.status, 2, r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('portscope:') && !l.includes('warning'));
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, new RegExp(`history database ${db.replace(/[.]/g, '\\.')}: .*(readonly|read-only|unable to open)`, 'i'));
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  checkOutputs(r.stdout, xml);
});

test('scan --save onto a full disk: exit 2, "disk is full", outputs written elsewhere intact', { skip: !isRoot && process.env.CI !== 'true' ? 'needs root (a small tmpfs in a private mount namespace)' : false }, () => {
  const mnt = mkdtempSync(join(dir, 'full-'));
  const xml = join(dir, 'full.xml');
  // A 192 KiB tmpfs, seen only by this command (unshare -m): a dry run of 65,535 ports fills it.
  const script = `mount -t tmpfs -o size=192k tmpfs "$1" && exec "$2" "$3" scan --dry-run -n -Pn -p- 127.0.0.1 --save --db "$1/h.db" -oX "$4"`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, process.execPath, PORTSCOPE, xml], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^portscope: cannot .* history database .*h\.db: database or disk is full/m);
  assert.equal(
    r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('warning')).length,
    1,
    r.stderr,
  );
  assert.match(readFileSync(xml, 'utf8'), /<\/nmaprun>\s*$/);
  execFileSync('true');
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { mapSocketInodes } from '../../../../src/local/linux/inode-map.js';
import { readProcessInfo } from '../../../../src/local/linux/process-info.js';

// A fake /proc: numbered directories with fd symlinks, exactly as proc(5) shows them.
const root = mkdtempSync(join(tmpdir(), 'portscope-proc-'));
after(() => rmSync(root, { recursive: true, force: true }));

function proc(pid: number, links: Record<string, string>): void {
  mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
  for (const [fd, target] of Object.entries(links)) symlinkSync(target, join(root, String(pid), 'fd', fd));
}
proc(10, { '0': '/dev/null', '3': 'socket:[1001]', '4': 'socket:[1001]', '5': 'pipe:[77]' });
proc(11, { '3': 'socket:[1001]', '7': 'socket:[2002]', '8': 'socket:[9999]' });
proc(12, { '3': 'anon_inode:[eventfd]' });
mkdirSync(join(root, 'self'));
mkdirSync(join(root, '13')); // exited between readdir and the fd walk: no fd directory
writeFileSync(join(root, 'version'), 'Linux');

test('every process holding a wanted socket is listed once, sorted', () => {
  const { pids } = mapSocketInodes(new Set([1001, 2002]), root);
  assert.deepEqual([...pids.entries()].sort(), [
    [1001, [10, 11]],
    [2002, [11]],
  ]);
});

test('sockets nobody asked for and non-socket fds are ignored', () => {
  const { pids } = mapSocketInodes(new Set([4242]), root);
  assert.equal(pids.size, 0);
});

test('a vanished process is skipped without counting as denied', () => {
  assert.equal(mapSocketInodes(new Set([1001]), root).deniedProcesses, 0);
});

test('process info falls back to what exists when files are missing', () => {
  writeFileSync(join(root, '10', 'comm'), 'nginx\n');
  writeFileSync(join(root, '10', 'cmdline'), 'nginx: master process\0-g\0daemon off;\0');
  writeFileSync(join(root, '10', 'status'), 'Name:\tnginx\nUid:\t0\t33\t33\t33\nGid:\t0\t0\t0\t0\n');
  const users = new Map([[33, 'www-data']]);
  assert.deepEqual(readProcessInfo(10, users, root), { pid: 10, name: 'nginx', command: 'nginx: master process -g daemon off;', user: 'www-data', uid: 33 });
  assert.deepEqual(readProcessInfo(12, users, root), { pid: 12, name: '', command: '', user: '', uid: null });
});

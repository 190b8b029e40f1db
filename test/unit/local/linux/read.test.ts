import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readLinuxView } from '../../../../src/local/linux/read.js';
import type { RawSocket, SocketSource } from '../../../../src/local/types.js';

// A fake /proc with one listener (127.0.0.1:22, inode 5151, held by pid 10) and a socket source that
// either answers or fails as the kernel can (EPERM under a seccomp filter, no inet_diag module).
const root = mkdtempSync(join(tmpdir(), 'portscope-read-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'net'));
mkdirSync(join(root, 'sys', 'net', 'ipv6'), { recursive: true });
writeFileSync(join(root, 'sys', 'net', 'ipv6', 'bindv6only'), '0\n');
writeFileSync(
  join(root, 'net', 'tcp'),
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' + '   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5151 1 0000000000000000 100 0 0 10 0\n',
);
mkdirSync(join(root, '10', 'fd'), { recursive: true });
symlinkSync('socket:[5151]', join(root, '10', 'fd', '3'));
writeFileSync(join(root, '10', 'status'), 'Name:\tsshd\nUid:\t0\t0\t0\t0\n');
writeFileSync(join(root, '10', 'cmdline'), 'sshd\0-D\0');
const passwd = join(root, 'passwd');
writeFileSync(passwd, 'root:x:0:0::/root:/bin/sh\n');

const failing = (message: string): SocketSource => ({
  name: 'sock_diag',
  sockets: () => {
    throw new Error(message);
  },
});

test('a sock_diag source that throws falls back to /proc/net, and says why', () => {
  const v = readLinuxView({ procRoot: root, passwdPath: passwd, source: failing('Operation not permitted') });
  assert.equal(v.source, 'proc');
  assert.equal(v.fallbackReason, 'sock_diag failed: Operation not permitted');
  assert.deepEqual(
    v.sockets.map((s) => [s.address, s.port, s.inode, s.processes?.map((p) => `${p.pid}/${p.name}/${p.user}`)]),
    [['127.0.0.1', 22, 5151, ['10/sshd/root']]],
  );
});

test('a source without the addon (null) falls back too; no source at all reads /proc without a reason', () => {
  const v = readLinuxView({ procRoot: root, passwdPath: passwd, source: { name: 'sock_diag', sockets: () => null } });
  assert.equal(v.source, 'proc');
  assert.equal(v.fallbackReason, 'the native addon is not available');
  const plain = readLinuxView({ procRoot: root, passwdPath: passwd });
  assert.equal(plain.source, 'proc');
  assert.equal(plain.fallbackReason, undefined);
});

test("a working source's table is used (v6Only kept), and its batch process reader names the holders", () => {
  const row: RawSocket = { protocol: 'tcp', family: 6, address: '::', port: 443, state: 'LISTEN', inode: 5151, uid: 0, v6Only: true };
  const asked: number[][] = [];
  const v = readLinuxView({
    procRoot: root,
    passwdPath: passwd,
    source: {
      name: 'sock_diag',
      sockets: () => [{ ...row }],
      processFiles: (pids) => {
        asked.push([...pids]);
        return pids.map(() => ({ status: 'Name:\tnginx\nUid:\t0\t0\t0\t0\n', cmdline: 'nginx\0' }));
      },
    },
  });
  assert.equal(v.source, 'sock_diag');
  assert.equal(v.fallbackReason, undefined);
  // The fake /proc root is not /proc: the fd walk and the process files come from it, not the source.
  assert.deepEqual(asked, []);
  assert.deepEqual(
    v.sockets.map((s) => [s.address, s.port, s.v6Only, s.processes?.map((p) => `${p.pid}/${p.name}`)]),
    [['::', 443, true, ['10/sshd']]],
  );
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { addonStatus } from '../../../src/net/addon.js';
import { readListeningSockets, readProcFiles, readSocketOwners, startSocketOwners } from '../../../src/net/sock-diag.js';

// The addon's sock_diag half against the kernel of the machine running the tests: our own listener on
// loopback (port 0) and our own /proc files. (Exactness against /proc/net in a namespace of its own:
// test/lab/sock-diag.test.ts.) Without the addon (not Linux, not built) the functions must say null.
const native = addonStatus().source !== 'none';
const withAddon = { skip: native ? false : `no native addon: ${addonStatus().reason}` };

test('without the addon every reader returns null (the /proc fallback takes over)', () => {
  // Where the addon loads, a child process with it turned off (PORTSCOPE_SKIP_NATIVE=1) checks the same.
  const script = `import { readListeningSockets, readProcFiles, readSocketOwners, startSocketOwners } from ${JSON.stringify(new URL('../../../src/net/sock-diag.js', import.meta.url).href)};
    process.stdout.write(JSON.stringify([readListeningSockets(), readSocketOwners([1]), readProcFiles([process.pid], ['status'], [512]), startSocketOwners()]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, PORTSCOPE_SKIP_NATIVE: '1' }, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [null, null, null, null]);
  if (!native) {
    assert.equal(readListeningSockets(), null);
    assert.equal(readSocketOwners([1]), null);
    assert.equal(readProcFiles([process.pid], ['status'], [512]), null);
    assert.equal(startSocketOwners(), null);
  }
});

test('our own loopback listener is in the dump with its port, uid and inode, and the fd walk finds us holding it', withAddon, async () => {
  const server = createServer();
  await new Promise<void>((res) => server.listen({ host: '127.0.0.1', port: 0 }, () => res()));
  try {
    const port = (server.address() as AddressInfo).port;
    const mine = readListeningSockets()!.filter((s) => s.port === port && s.protocol === 'tcp');
    assert.equal(mine.length, 1);
    const s = mine[0]!;
    assert.deepEqual({ family: s.family, address: s.address, state: s.state, uid: s.uid, v6Only: s.v6Only }, { family: 4, address: '127.0.0.1', state: 'LISTEN', uid: process.getuid!(), v6Only: undefined });
    assert.ok(s.inode > 0);
    const owners = readSocketOwners([s.inode, 1])!;
    assert.deepEqual(owners.pids.get(s.inode), [process.pid]);
    assert.equal(owners.pids.has(1), false, 'an inode no socket has is held by nobody');
  } finally {
    server.close();
  }
});

test('readProcFiles: our status (cut at its limit) and cmdline as /proc gives them; a pid that cannot exist gives nulls', withAddon, () => {
  // pid_max is at most 2^22 (include/linux/threads.h, PID_MAX_LIMIT): 2^22 + 1 is never a process.
  const files = readProcFiles([process.pid, 4_194_305], ['status', 'cmdline'], [64, 65_536])!;
  const [status, cmdline] = files[0]!;
  const gone = files[1];
  assert.equal(status!.length, 64);
  assert.ok(status!.startsWith('Name:\t'), status!);
  assert.equal(cmdline, readFileSync('/proc/self/cmdline', 'latin1'));
  assert.deepEqual(gone, [null, null]);
});

test('the early walk (socketOwnersAsync on a libuv thread, started before the dump) finds what the synchronous walk finds', withAddon, async () => {
  const server = createServer();
  await new Promise<void>((res) => server.listen({ host: '127.0.0.1', port: 0 }, () => res()));
  try {
    const early = startSocketOwners()!;
    const port = (server.address() as AddressInfo).port;
    const inode = readListeningSockets()!.find((s) => s.port === port && s.protocol === 'tcp')!.inode;
    const wanted = new Set([inode, 1]);
    const ownersOf = await early;
    const got = ownersOf(wanted);
    assert.deepEqual(got.pids.get(inode), [process.pid]);
    assert.equal(got.pids.has(1), false, 'an inode no socket has is held by nobody');
    assert.deepEqual([...got.pids.keys()].sort(), [inode], 'only the wanted inodes are kept');
    assert.deepEqual(got, readSocketOwners(wanted));
  } finally {
    server.close();
  }
});

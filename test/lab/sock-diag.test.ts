import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun } from './support/cli.js';

// The native sock_diag reader (native/sock_diag.c via src/net/sock-diag.ts) against /proc/net in the same
// fresh network namespace (only the child's own sockets exist there, so both reads see the same set):
// 25 TCP listeners and 4 UDP sockets over IPv4, IPv6, wildcard and loopback addresses.
const CHILD = fileURLToPath(new URL('./support/sock-diag-child.js', import.meta.url));

interface Row {
  family: number;
  protocol: string;
  address: string;
  port: number;
  uid: number | undefined;
  inode: number | null;
}

const key = (r: Row): string => `${r.protocol}${r.family} [${r.address}]:${r.port} uid ${r.uid} inode ${r.inode}`;

test('sock_diag netlink lists exactly the listening TCP and unconnected UDP sockets /proc/net lists (29 sockets), with IPV6_V6ONLY', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ targets: 0 });
  try {
    const r = await lab.runInScanner(process.execPath, [CHILD], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, describeRun(r));
    const { diag, proc, v6only } = JSON.parse(r.stdout) as { diag: (Row & { state: string; v6Only?: boolean })[] | null; proc: (Row & { state: string })[]; v6only: Record<string, boolean> };
    assert.ok(diag, 'the native addon (with its sock_diag reader) must be built');
    assert.equal(proc.length, 29);
    assert.deepEqual(diag.map(key).sort(), proc.map(key).sort());
    for (const d of diag) assert.equal(d.state, d.protocol === 'tcp' ? 'LISTEN' : 'UNCONN', key(d));
    // INET_DIAG_SKV6ONLY: what /proc/net/tcp6 cannot show. IPv4 sockets carry none.
    assert.equal(Object.keys(v6only).length, 15);
    for (const d of diag) assert.equal(d.v6Only, d.family === 6 ? v6only[`${d.protocol} ${d.port}`] : undefined, key(d));
  } finally {
    await lab.close();
  }
});

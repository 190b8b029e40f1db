import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readProcessExtras } from '../../../src/local/index.js';

test('readProcessExtras reads a deleted executable and the systemd unit from a /proc tree, skipping what it cannot read', async () => {
  const root = mkdtempSync(join(tmpdir(), 'portscope-proc-'));
  try {
    mkdirSync(join(root, '100'));
    symlinkSync('/opt/app/server (deleted)', join(root, '100', 'exe'));
    writeFileSync(join(root, '100', 'cgroup'), '0::/system.slice/app.service\n');
    mkdirSync(join(root, '200'));
    symlinkSync('/usr/bin/socat', join(root, '200', 'exe'));
    const got = await readProcessExtras([100, 200, 300, 100], root);
    assert.deepEqual([...got.keys()], [100, 200, 300]);
    assert.deepEqual(got.get(100), { exe: '/opt/app/server', exeDeleted: true, unit: 'app.service' });
    assert.deepEqual(got.get(200), { exe: '/usr/bin/socat', exeDeleted: false });
    assert.deepEqual(got.get(300), {}, 'a pid that is gone has no extras');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/**
 * Kill a process in the middle of saving scans (SIGKILL at random moments, 40 times): the SQLite file must
 * pass integrity_check, every scan committed before must still be there and complete, and no half-saved
 * scan may ever be visible (issue 7, "Reliability").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkIntegrity, exited, savedIds, spawnSaver } from './history-support.js';

const ROUNDS = 40;

test(`SIGKILL during saves, ${ROUNDS} times: integrity ok, earlier scans intact, no partial scan visible`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-kill-'));
  const db = join(dir, 'history.db');
  try {
    let known: number[] = [];
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const saver = spawnSaver(db, { hosts: 200, ports: 50, tag: `round ${round}` });
      const ids = savedIds(saver);
      // Wait for the first commit of this round in most rounds, then kill at a random moment: before,
      // during or between transactions (a save of 10,000 ports takes some tens of milliseconds).
      if (round % 4 !== 0) await new Promise<void>((res) => saver.stdout!.once('data', () => res()));
      await new Promise((res) => setTimeout(res, Math.random() * 120));
      saver.kill('SIGKILL');
      const { signal } = await exited(saver);
      if (signal === 'SIGKILL') killed++;
      const committed = ids();
      const r = checkIntegrity(db);
      assert.equal(r.integrity, 'ok', `round ${round}`);
      assert.equal(r.foreignKeyErrors, 0, `round ${round}`);
      assert.deepEqual(r.partial, [], `round ${round}: partial scans visible`);
      for (const id of [...known, ...committed]) assert.ok(r.complete.includes(id), `round ${round}: scan ${id} lost`);
      known = r.complete;
    }
    assert.equal(killed, ROUNDS);
    assert.ok(known.length > ROUNDS / 2, `only ${known.length} scans were committed over ${ROUNDS} rounds`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two processes saving into one SQLite file at once: every scan of both is stored, complete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-conc-'));
  const db = join(dir, 'history.db');
  try {
    const a = spawnSaver(db, { hosts: 100, ports: 40, count: 15, tag: 'writer a' });
    const b = spawnSaver(db, { hosts: 100, ports: 40, count: 15, tag: 'writer b' });
    const idsA = savedIds(a);
    const idsB = savedIds(b);
    let errA = '';
    let errB = '';
    a.stderr!.on('data', (c: Buffer) => (errA += c.toString()));
    b.stderr!.on('data', (c: Buffer) => (errB += c.toString()));
    const [ea, eb] = await Promise.all([exited(a), exited(b)]);
    assert.deepEqual([ea.code, eb.code], [0, 0], errA + errB);
    const all = [...idsA(), ...idsB()];
    assert.equal(new Set(all).size, 30);
    const r = checkIntegrity(db);
    assert.equal(r.integrity, 'ok');
    assert.deepEqual(r.partial, []);
    assert.deepEqual(
      [...r.complete].sort((x, y) => x - y),
      [...all].sort((x, y) => x - y),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

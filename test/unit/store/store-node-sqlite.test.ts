/**
 * The same store suites as store-sqlite.test.ts, on Node's own SQLite (node:sqlite, the fallback driver when
 * better-sqlite3's binary cannot load). node:sqlite exists from Node 22.5 (flag-free from 22.13): on older
 * Node the test asserts instead that forcing it gives one line naming the fix.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HistoryStore, probeSqliteDriver, StoreError } from '../../../src/store/index.js';
import { auditSuite } from './audit-suite.js';
import { storeSuite } from './store-suite.js';

// Every test file runs in its own process (node --test), so this choice reaches only this file's stores.
process.env.PORTSCOPE_SQLITE_DRIVER = 'node:sqlite';

const dir = mkdtempSync(join(tmpdir(), 'portscope-store-node-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));
const freshFile = async (): Promise<string> => join(dir, `history-${++n}.db`);

if (probeSqliteDriver('node:sqlite').available) {
  test('node:sqlite: the store opened under PORTSCOPE_SQLITE_DRIVER=node:sqlite uses node:sqlite', async () => {
    const s = await HistoryStore.open(await freshFile(), {});
    try {
      assert.equal(s.sqliteDriver, 'node:sqlite');
    } finally {
      await s.close();
    }
  });
  storeSuite('node:sqlite', freshFile);
  auditSuite('node:sqlite', freshFile);
} else {
  test('without node:sqlite, forcing it fails with one line that names the fix', async () => {
    await assert.rejects(HistoryStore.open(await freshFile(), {}), (e: unknown) => {
      assert.ok(e instanceof StoreError);
      assert.doesNotMatch(e.message, /\n/);
      assert.match(e.message, /^no SQLite driver for the history \(node:sqlite: not in Node .*\); fix: `npm rebuild better-sqlite3`.*Node 22\.5\+/);
      return true;
    });
  });
}

test('an unknown PORTSCOPE_SQLITE_DRIVER is one clear error', async () => {
  process.env.PORTSCOPE_SQLITE_DRIVER = 'sqlite4';
  try {
    await assert.rejects(HistoryStore.open(await freshFile(), {}), /PORTSCOPE_SQLITE_DRIVER="sqlite4" is not a SQLite driver/);
  } finally {
    process.env.PORTSCOPE_SQLITE_DRIVER = 'node:sqlite';
  }
});

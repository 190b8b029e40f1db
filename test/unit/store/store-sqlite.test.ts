import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { auditSuite } from './audit-suite.js';
import { storeSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'portscope-store-'));
let n = 0;
after(() => rmSync(dir, { recursive: true, force: true }));

const freshFile = async (): Promise<string> => join(dir, `history-${++n}.db`);
storeSuite('sqlite', freshFile);
auditSuite('sqlite', freshFile);

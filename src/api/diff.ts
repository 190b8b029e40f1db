/**
 * `diff A B`: two stored scans (ids) or two files (nmap/portscope XML, portscope JSON), compared by
 * src/history/diff-model.ts.
 */
import { existsSync } from 'node:fs';
import { diffAudits, type AuditDiff } from '../history/diff-audit.js';
import { diffScans, type ScanDiff } from '../history/diff-model.js';
import { readScanFile } from '../history/readers/index.js';
import { OptionError } from '../model/index.js';
import { HistoryStore, type ScanRecord } from '../store/index.js';

export { readScanFile } from '../history/readers/index.js';

export interface DiffOptions {
  a: string;
  b: string;
  db?: string;
  env?: NodeJS.ProcessEnv;
}

/** A scan given as an argument: an existing file wins over a number, so `diff 1 2` with files named 1 works. */
export function isScanId(arg: string): boolean {
  return /^#?\d+$/.test(arg) && !existsSync(arg);
}

export async function diff(opts: DiffOptions): Promise<ScanDiff> {
  const needsDb = isScanId(opts.a) || isScanId(opts.b);
  const store = needsDb ? await HistoryStore.open(opts.db, opts.env) : null;
  try {
    const load = async (arg: string): Promise<ScanRecord> => (isScanId(arg) ? store!.loadScan(Number(arg.replace('#', ''))) : readScanFile(arg));
    const a = await load(opts.a);
    const b = await load(opts.b);
    return diffScans(a, b);
  } finally {
    await store?.close();
  }
}

/** `diff --audit A B`: two stored audits by id (`3` or `#3`), compared by finding fingerprint. */
export async function diffStoredAudits(opts: DiffOptions): Promise<AuditDiff> {
  const ids = [opts.a, opts.b].map((arg) => {
    if (!/^#?\d+$/.test(arg)) throw new OptionError(`diff --audit: "${arg}" is not an audit id (see portscope history --audits)`);
    return Number(arg.replace('#', ''));
  });
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    return diffAudits(await store.loadAudit(ids[0]!), await store.loadAudit(ids[1]!));
  } finally {
    await store.close();
  }
}

/** `import FILE…`: nmap or portscope XML (and portscope JSON) files into the history, one scan each. */
import { HistoryStore } from '../store/index.js';
import { readScanFile } from './diff.js';

export interface ImportOptions {
  files: string[];
  db?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Imported {
  file: string;
  id: number;
  hosts: number;
  ports: number;
}

/**
 * Every file is read and checked before anything is stored, so a bad file (named with line:column in the
 * error) imports nothing; each file is then one transaction.
 */
export async function importScans(opts: ImportOptions): Promise<Imported[]> {
  const records = opts.files.map((f) => readScanFile(f));
  const store = await HistoryStore.open(opts.db, opts.env);
  try {
    const out: Imported[] = [];
    for (const rec of records) {
      const id = await store.saveScan(rec);
      out.push({ file: rec.file!, id, hosts: rec.hosts.length, ports: rec.hosts.reduce((n, h) => n + h.ports.length, 0) });
    }
    return out;
  } finally {
    await store.close();
  }
}

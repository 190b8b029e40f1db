/** Helpers shared by the history lab tests: a saver process to kill, and integrity checks of a SQLite file. */
import { spawn, type ChildProcess } from 'node:child_process';
import Sqlite from 'better-sqlite3';

const STORE = new URL('../../src/store/index.js', import.meta.url).href;

/**
 * A child process that saves scans of `hosts` × `ports` into `db` in a loop (or `count` times), printing
 * `saved ID` after each commit. Each scan's args say how many ports it must have, for checkIntegrity.
 */
export function spawnSaver(db: string, opts: { hosts: number; ports: number; count?: number; tag: string }): ChildProcess {
  const script = `
    const { HistoryStore } = await import(${JSON.stringify(STORE)});
    const [db, hostsN, portsN, count, tag] = process.argv.slice(1);
    const s = await HistoryStore.open(db, {});
    for (let i = 0; count === '0' || i < Number(count); i++) {
      const hosts = [];
      for (let h = 0; h < Number(hostsN); h++) {
        const ports = [];
        for (let p = 1; p <= Number(portsN); p++) ports.push({ protocol: 'tcp', port: p, state: (p + i) % 7 ? 'closed' : 'open', reason: 'conn-refused' });
        hosts.push({ address: '198.51.' + (h >> 8) + '.' + (h & 255), family: 4, status: 'up', statusReason: 'user-set', ports });
      }
      const id = await s.saveScan({ startedAt: Date.now(), endedAt: Date.now(), scanner: 'portscope', version: 't', args: tag + ' expect ' + hostsN + 'x' + portsN, source: 'scan', interrupted: false, hosts });
      process.stdout.write('saved ' + id + '\\n');
    }
    await s.close();
  `;
  return spawn(process.execPath, ['--input-type=module', '-e', script, db, String(opts.hosts), String(opts.ports), String(opts.count ?? 0), opts.tag], { stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface Integrity {
  integrity: string;
  foreignKeyErrors: number;
  /** Scan ids whose host and port counts match what their args promise. */
  complete: number[];
  /** Scan ids that do not: a half-saved scan made visible. */
  partial: number[];
}

/** Open the file as a fresh process would (recovering the WAL) and check every stored scan. */
export function checkIntegrity(db: string): Integrity {
  const d = new Sqlite(db);
  try {
    const integrity = String(d.pragma('integrity_check', { simple: true }));
    const foreignKeyErrors = (d.pragma('foreign_key_check') as unknown[]).length;
    // Killed before the first migration committed: an empty database is consistent too.
    if (!d.prepare("select 1 from sqlite_master where name = 'scans'").get()) return { integrity, foreignKeyErrors, complete: [], partial: [] };
    const scans = d.prepare('select id, args, hosts_total from scans order by id').all() as { id: number; args: string; hosts_total: number }[];
    const hostCount = d.prepare('select count(*) as n from hosts where scan_id = ?');
    const portCount = d.prepare('select count(*) as n from ports where host_id in (select id from hosts where scan_id = ?)');
    const complete: number[] = [];
    const partial: number[] = [];
    for (const s of scans) {
      const m = /expect (\d+)x(\d+)$/.exec(s.args);
      const hostsOk = (hostCount.get(s.id) as { n: number }).n === (m ? Number(m[1]) : s.hosts_total);
      const portsOk = !m || (portCount.get(s.id) as { n: number }).n === Number(m[1]) * Number(m[2]);
      (hostsOk && portsOk ? complete : partial).push(s.id);
    }
    return { integrity, foreignKeyErrors, complete, partial };
  } finally {
    d.close();
  }
}

/** Lines `saved N` printed so far by a saver. */
export function savedIds(child: ChildProcess): () => number[] {
  let buf = '';
  child.stdout!.on('data', (c: Buffer) => (buf += c.toString()));
  return () => [...buf.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => res({ code, signal }));
  });
}

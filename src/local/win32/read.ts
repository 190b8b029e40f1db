import { run } from '../exec.js';
import type { RawSocket } from '../types.js';
import { parseNetstat, parseTasklistCsv } from './netstat.js';

/** Windows: netstat -ano for sockets and pids, tasklist /V /FO CSV for image names and users. */
export async function readWin32Sockets(): Promise<RawSocket[]> {
  const [netstat, tasks] = await Promise.all([
    run('netstat', ['-ano']),
    run('tasklist', ['/V', '/FO', 'CSV'])
      .catch(() => run('tasklist', ['/FO', 'CSV']))
      .catch(() => ''),
  ]);
  return parseNetstat(netstat, parseTasklistCsv(tasks));
}

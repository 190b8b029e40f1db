import { run } from '../exec.js';
import type { RawSocket } from '../types.js';
import { parseLsof, parsePs } from './lsof.js';

/**
 * macOS: lsof lists the sockets with their processes; ps adds full command lines and uids. lsof exits 1
 * when some selection matched nothing (no UDP sockets, for instance), which is still an answer. Without
 * root, lsof shows only the caller's own processes: other users' sockets are missing, not ownerless.
 */
export async function readDarwinSockets(): Promise<RawSocket[]> {
  const [lsof, ps] = await Promise.all([run('lsof', ['-nP', '-iTCP', '-sTCP:LISTEN', '-iUDP'], [0, 1]), run('ps', ['-axww', '-o', 'pid=,uid=,user=,args=']).catch(() => '')]);
  return parseLsof(lsof, parsePs(ps));
}

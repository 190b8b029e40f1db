import { execFile } from 'node:child_process';
import { LocalToolError } from './exec.js';

/** `nft -f -` with a script on stdin: one atomic transaction (nft(8)). */
export function nftApply(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('nft', ['-f', '-'], (err, _stdout, stderr) => {
      if (!err) return resolve();
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'nft not found (install nftables)' : String(stderr).trim().split('\n')[0] || err.message;
      reject(new LocalToolError(`nft -f: ${why}`));
    });
    child.stdin?.end(script);
  });
}

/** `nft -j list table inet NAME`, or null when the table does not exist. */
export function nftListTable(name: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile('nft', ['-j', 'list', 'table', 'inet', name], (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if (/No such file or directory|does not exist/i.test(String(stderr))) return resolve(null);
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'nft not found (install nftables)' : String(stderr).trim().split('\n')[0] || err.message;
      reject(new LocalToolError(`nft list table inet ${name}: ${why}`));
    });
  });
}

import { execFile } from 'node:child_process';
import { PortscopeError } from '../model/index.js';

/** A helper program (lsof, ps, netstat, tasklist, ip) failed in a way that leaves no answer. */
export class LocalToolError extends PortscopeError {
  constructor(message: string) {
    super('E_LOCAL_TOOL', message);
  }
}

/** Runs a program and returns its stdout; `okCodes` lists exit codes that still carry an answer. */
export function run(file: string, args: string[], okCodes: number[] = [0]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
      if (code !== null && okCodes.includes(code)) return resolve(stdout);
      const why = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT' ? 'not found' : String(stderr).trim().split('\n')[0] || (err as Error).message;
      reject(new LocalToolError(`${file} ${args.join(' ')}: ${why}`));
    });
  });
}

/** Long-running portscope processes (workers, coordinators) in lab namespaces, with their output collected. */
import type { ChildProcess } from 'node:child_process';
import type { Lab } from '../../helpers/netlab/index.js';
import { PORTSCOPE } from './cli.js';

export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
  /** Resolves when stderr has matched `re` (rejects after `ms`). */
  waitErr(re: RegExp, ms?: number): Promise<void>;
}

export function startIn(lab: Lab, ns: string, args: string[], env: NodeJS.ProcessEnv = process.env): Proc {
  const child = lab.spawnIn(ns, process.execPath, [PORTSCOPE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of [...waiters]) if (w.re.test(err)) w.resolve();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitErr(re, ms = 60_000) {
      if (re.test(err)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${re} on stderr within ${ms} ms:\n${err.slice(-2000)}`)), ms);
        waiters.push({ re, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
  };
}

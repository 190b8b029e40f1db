import type { ChildProcess } from 'node:child_process';
import { deleteNamespaceSync } from './namespaces.js';

/**
 * What every live lab owns, so that an exiting process (normal exit, uncaught error, SIGINT/SIGTERM)
 * removes its namespaces and processes even when a test never reached `lab.close()`.
 */
export interface Owned {
  namespaces: string[];
  children: Set<ChildProcess>;
}

const live = new Set<Owned>();
let hooked = false;

export function killChildren(owned: Owned): void {
  for (const c of owned.children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  owned.children.clear();
}

/** Synchronous teardown: kills children, then deletes namespaces (which kills whatever else runs in them). */
export function teardownSync(owned: Owned): void {
  killChildren(owned);
  for (const ns of owned.namespaces) deleteNamespaceSync(ns);
  live.delete(owned);
}

export function register(owned: Owned): void {
  live.add(owned);
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const o of [...live]) teardownSync(o);
  });
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    // Installing a handler replaces the default "terminate": clean up, then end as the signal would.
    process.once(sig, () => {
      for (const o of [...live]) teardownSync(o);
      process.exit(code);
    });
  }
}

export function unregister(owned: Owned): void {
  live.delete(owned);
}

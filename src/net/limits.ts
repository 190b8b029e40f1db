import { readFileSync } from 'node:fs';

/**
 * The soft limit on open files (Node raises it to the hard limit at start-up on Linux). Each probe in flight
 * holds a socket, so this caps parallelism. Falls back to 1024, the common default, where unreadable.
 */
export function openFileLimit(): number {
  try {
    const text = readFileSync('/proc/self/limits', 'utf8');
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
    if (m) return m[1] === 'unlimited' ? 65536 : Number(m[1]);
  } catch {
    // not Linux
  }
  return 1024;
}

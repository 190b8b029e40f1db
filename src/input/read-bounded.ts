/**
 * The one way portscope reads a file it did not write itself: at most `maxBytes` (a regular file larger than
 * that is refused before reading; a FIFO or device is read up to the limit), decoded as UTF-8 with a BOM
 * dropped. Errors are one line naming the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FileError, PortscopeError } from '../model/index.js';
import { formatBytes } from './limits.js';

export interface BoundedRead {
  /** What the file is, for messages: "policy file", "scan file". */
  what: string;
  maxBytes: number;
  /** The error class of the caller's domain (PolicyError for policies); FileError by default. */
  error?: (message: string) => PortscopeError;
}

export function readBoundedText(path: string, o: BoundedRead): string {
  const fail = o.error ?? ((m: string) => new FileError(m));
  const tooLarge = (size: string): PortscopeError => fail(`${path}: ${o.what} too large (${size}; the limit is ${formatBytes(o.maxBytes)})`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw fail(`cannot read ${o.what} "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw fail(`cannot read ${o.what} "${path}": it is a directory`);
    if (st.isFile() && st.size > o.maxBytes) throw tooLarge(formatBytes(st.size));
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(Math.min(o.maxBytes + 1, 1024 * 1024));
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, o.maxBytes + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > o.maxBytes) throw tooLarge(`more than ${formatBytes(o.maxBytes)}`);
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (err) {
    if (err instanceof PortscopeError) throw err;
    throw fail(`cannot read ${o.what} "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writing a file the user named (`audit -o FILE`, `audit --init --force --policy FILE`). A regular file (or
 * a new one) is replaced whole or not at all: a temporary file in the same directory, then rename(2) over
 * it. Anything else is written through, never replaced: a symlink keeps pointing where it did (its target
 * gets the text), a FIFO or a device (/dev/stdout, /proc/self/fd/1) is opened and written, as the shell's
 * `>` would — renaming over them would turn them into regular files.
 */
import { lstatSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { FileError } from '../entry/core.js';

export function writeReplacing(path: string, text: string): void {
  let kind: 'absent' | 'regular' | 'other';
  try {
    kind = lstatSync(path).isFile() ? 'regular' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new FileError(`cannot write "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    kind = 'absent';
  }
  if (kind === 'other') {
    try {
      writeFileSync(path, text);
    } catch (err) {
      throw new FileError(`cannot write "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was created
    }
    throw new FileError(`cannot write "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

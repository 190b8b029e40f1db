import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { FileError } from '../entry/core.js';

/**
 * Where one output goes: a file (written synchronously, so that whatever was written survives an abrupt
 * end of the process) or stdout.
 */
export interface Sink {
  write(text: string): void;
  close(): void;
  readonly path: string;
}

export function openSink(path: string, stdout: NodeJS.WritableStream): Sink {
  if (path === '-') {
    return { path, write: (t) => void (t && stdout.write(t)), close: () => {} };
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new FileError(`cannot write output file "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let open = true;
  return {
    path,
    write(text) {
      if (!open || !text) return;
      try {
        writeSync(fd, text);
      } catch (err) {
        open = false;
        throw new FileError(`cannot write output file "${path}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    },
    close() {
      if (!open) return;
      open = false;
      try {
        fsyncSync(fd);
      } catch {
        // not every file supports fsync (pipes, /dev/stdout)
      }
      closeSync(fd);
    },
  };
}

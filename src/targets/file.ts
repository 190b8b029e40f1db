/**
 * `-iL FILE` and `--excludefile FILE`: specs separated by spaces, tabs or newlines (nmap(1), "Input From
 * List"), `#` to end of line is a comment. Streamed chunk by chunk: a huge file, or a huge single line,
 * never sits in memory whole.
 */
import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import { FileError } from '../model/index.js';
import { quoteInput } from './quote.js';

/** A token longer than this is cut (and then rejected by the parser) instead of growing without bound. */
const MAX_TOKEN = 4200;

/** ASCII whitespace as nmap splits it; other code points stay in the token for the parser to reject. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Fails fast (before any probe is sent) when a target or exclude file cannot be read, so that a typo in
 * `-iL` is a usage error (exit 2), not a scan that silently covers less than asked.
 */
export function checkTargetFile(path: string, option: string): void {
  if (path === '-') return;
  try {
    if (statSync(path).isDirectory()) throw new FileError(`${option} ${quoteInput(path)}: is a directory`);
    accessSync(path, constants.R_OK);
  } catch (err) {
    if (err instanceof FileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new FileError(`${option} ${quoteInput(path)}: ${why}`);
  }
}

/** Specs from `path` (`-` = standard input), in file order. Throws FileError when the file cannot be read. */
export async function* readTargetFile(path: string): AsyncGenerator<string> {
  const stream = path === '-' ? process.stdin : createReadStream(path);
  stream.setEncoding('utf8');
  let token = '';
  let inComment = false;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let start = 0;
      for (let i = 0; i <= chunk.length; i++) {
        const c = i < chunk.length ? chunk.charCodeAt(i) : -1;
        if (inComment) {
          if (c === 10 || c === 13) inComment = false;
          start = i + 1;
          continue;
        }
        if (c !== -1 && c !== 35 && !isSpace(c)) continue;
        // End of a token, or of the chunk: keep what lies between.
        if (token.length < MAX_TOKEN) token += chunk.slice(start, Math.min(i, start + MAX_TOKEN - token.length));
        start = i + 1;
        if (c === -1) break;
        if (token) yield token;
        token = '';
        inComment = c === 35;
      }
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : (e.code ?? e.message);
    throw new FileError(`cannot read target file ${quoteInput(path)}: ${why}`);
  }
  if (token) yield token;
}

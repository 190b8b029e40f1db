import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { decodeUtf8Visible, type ListeningProcess } from '../../model/index.js';

/**
 * Name, command line and user of a process from /proc/PID/status (Name, Uid) and /proc/PID/cmdline
 * (proc(5)). With thousands of processes this runs thousands of times, so each file is read with one
 * open/read/close into a shared buffer: readFileSync on a /proc file (size 0) costs about four times more
 * (fstat, growing reads, concatenation), measured in bench/listening.ts. A process that exited meanwhile
 * still yields an entry with what could be read, so a socket never loses its pid.
 */
export class ProcessReader {
  readonly #buf = Buffer.allocUnsafe(64 * 1024);
  readonly #users: ReadonlyMap<number, string>;
  readonly #procRoot: string;

  constructor(users: ReadonlyMap<number, string>, procRoot = '/proc') {
    this.#users = users;
    this.#procRoot = procRoot;
  }

  read(pid: number): ListeningProcess {
    const base = `${this.#procRoot}/${pid}`;
    return this.fromFiles(pid, this.#readSmall(`${base}/status`), this.#readSmall(`${base}/cmdline`));
  }

  /** The same from texts already read (latin1: one char per byte); '' for a file that could not be read. */
  fromFiles(pid: number, status: string, cmdlineText: string): ListeningProcess {
    const name = statusField(status, 'Name');
    // Arguments are NUL-separated with a trailing NUL; kernel threads have an empty cmdline.
    // Both are bytes any user chooses (prctl PR_SET_NAME, argv): read as latin1 (one char per byte), then
    // decoded as UTF-8 with invalid bytes kept visible as \xNN; renderers escape controls (model/escape.ts).
    const cmdline = utf8(cmdlineText.replace(/\0+$/, '')).split('\0').join(' ');
    const uid = parseStatusUid(status);
    const shown = utf8(unescapeStatusName(name));
    return { pid, name: shown, command: cmdline || shown, user: uid === null ? '' : (this.#users.get(uid) ?? String(uid)), uid };
  }

  /** First 64 KiB of a file ('' if it cannot be read): enough for status; command lines beyond it are cut. */
  #readSmall(path: string, encoding: 'latin1' | 'utf8' = 'latin1'): string {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return '';
    }
    try {
      const n = readSync(fd, this.#buf, 0, this.#buf.length, null);
      return this.#buf.toString(encoding, 0, n);
    } catch {
      return '';
    } finally {
      closeSync(fd);
    }
  }
}

/** status escapes a newline in the name as "\n" and a backslash as "\\" (fs/proc/array.c, proc_task_name). */
function unescapeStatusName(name: string): string {
  return name.includes('\\') ? name.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')) : name;
}

/** ASCII (the common case) is the same text in latin1 and UTF-8: only other bytes need the decoder. */
const NON_ASCII = /[^\x00-\x7f]/;
const utf8 = (latin1: string): string => (NON_ASCII.test(latin1) ? decodeUtf8Visible(Buffer.from(latin1, 'latin1')) : latin1);

/** One-off convenience over ProcessReader. */
export function readProcessInfo(pid: number, users: ReadonlyMap<number, string>, procRoot = '/proc'): ListeningProcess {
  return new ProcessReader(users, procRoot).read(pid);
}

/** The effective uid: the second number of the `Uid:` line (real, effective, saved, filesystem). */
export function parseStatusUid(status: string): number | null {
  const m = /^\s*\d+\s+(\d+)/.exec(statusField(status, 'Uid'));
  return m ? Number(m[1]) : null;
}

/**
 * The value of one `Key:\tvalue` line of /proc/PID/status ('' when absent), found with indexOf: a regex
 * with the m flag over the whole 1.4 KB file, twice per process, cost more than reading it.
 */
function statusField(status: string, key: string): string {
  const head = `${key}:`;
  let at = 0;
  if (!status.startsWith(head)) {
    at = status.indexOf(`\n${head}`) + 1;
    if (at === 0) return '';
  }
  let start = at + head.length;
  if (status.charCodeAt(start) === 9) start++; // the tab after the colon
  const end = status.indexOf('\n', start);
  return status.slice(start, end < 0 ? status.length : end);
}

/** uid → name from passwd(5) text: `name:passwd:uid:gid:gecos:home:shell`; the first entry for a uid wins. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 3 || f[0] === '') continue;
    const uid = Number(f[2]);
    if (Number.isInteger(uid) && f[2] !== '' && !users.has(uid)) users.set(uid, f[0]!);
  }
  return users;
}

export function readUsers(path = '/etc/passwd'): Map<number, string> {
  try {
    return parsePasswd(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

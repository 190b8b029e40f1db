// External XML consumers for the XML format tests: xmllint with nmap's DTD, ndiff, python-libnmap.
// Missing outside CI → the test is skipped with the reason; in CI (CI=true) a missing tool fails the test.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NMAP_DTD = '/usr/share/nmap/nmap.dtd';
/** Debian's python3-libnmap installs for /usr/bin/python3, not for another python3 earlier on PATH. */
const PYTHON = '/usr/bin/python3';

function missing(check: () => boolean, what: string): string | false {
  let ok = false;
  try {
    ok = check();
  } catch {
    ok = false;
  }
  return ok ? false : `${what} not available`;
}

const runs = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

export const tools = {
  xmllint: missing(() => existsSync(NMAP_DTD) && runs('xmllint', ['--version']), `xmllint and ${NMAP_DTD}`),
  ndiff: missing(() => runs('ndiff', ['--help']), 'ndiff'),
  libnmap: missing(() => runs(PYTHON, ['-c', 'import libnmap.parser']), 'python3-libnmap'),
};

/** node:test options: skip outside CI when the tool is missing; in CI run (and fail in the test). */
export function toolTest(reason: string | false): { skip: string | false } {
  return { skip: reason !== false && process.env.CI !== 'true' ? reason : false };
}

export function requireTool(reason: string | false): void {
  if (reason !== false) throw new Error(`cannot run in CI: ${reason}`);
}

export function withFiles<T>(docs: string[], fn: (paths: string[]) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-xml-'));
  try {
    const paths = docs.map((d, i) => {
      const p = join(dir, `doc${i}.xml`);
      writeFileSync(p, d);
      return p;
    });
    return fn(paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** xmllint's complaints, or '' when the document is valid against nmap.dtd. */
export function dtdErrors(doc: string): string {
  return withFiles([doc], ([p]) => {
    const r = spawnSync('xmllint', ['--noout', '--dtdvalid', NMAP_DTD, p!], { encoding: 'utf8' });
    return r.status === 0 ? '' : `${r.stderr}${r.stdout}` || `xmllint exit ${r.status}`;
  });
}

export function ndiff(a: string, b: string): { status: number | null; out: string } {
  return withFiles([a, b], ([pa, pb]) => {
    const r = spawnSync('ndiff', [pa!, pb!], { encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  });
}

/** Parses with python-libnmap and returns per host: address, open ports, and libnmap's port count. */
export function libnmapRead(doc: string): { address: string; open: number[]; status: string }[] {
  const script = [
    'import json, sys',
    'from libnmap.parser import NmapParser',
    'r = NmapParser.parse_fromfile(sys.argv[1])',
    'print(json.dumps([{"address": h.address, "status": h.status, "open": [p for p, _ in h.get_open_ports()]} for h in r.hosts]))',
  ].join('\n');
  return withFiles([doc], ([p]) => JSON.parse(execFileSync(PYTHON, ['-c', script, p!], { encoding: 'utf8' })) as { address: string; open: number[]; status: string }[]);
}

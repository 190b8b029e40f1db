import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PORTSCOPE } from './support/cli.js';

// Untrusted text from real sources (issue 10 item 3): a process name set by its owner, a banner from a real
// loopback listener, files given to diff/import. No namespace needed: loopback and /proc only.

const TITLE = '\x1b]0;pw\x07\x1b[2J'; // OSC 0 retitles the terminal, CSI 2 J clears it: 11 bytes (comm holds 15)
const TITLE_SHOWN = '\\x1b]0;pw\\x07\\x1b[2J';

/** No character a terminal would take as a control: C0 (but LF and the grepable format's TAB), DEL, C1 as UTF-8 (C2 80–C2 9F), bidi. */
function assertTerminalSafe(text: string, what: string): void {
  const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u.exec(text);
  assert.equal(bad, null, `${what} holds U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} raw:\n${JSON.stringify(text.slice(0, 2000))}`);
}

/** The real CLI, asynchronously: the banner server runs in this process and must keep answering. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PORTSCOPE, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

let child: ChildProcess;
let childPort = 0;
let banner: Server;
let bannerPort = 0;
const tmp = mkdtempSync(join(tmpdir(), 'portscope-untrusted-'));

before(async () => {
  // A process that renames itself as prctl(PR_SET_NAME) does (/proc/self/comm is the same kernel field),
  // then listens on loopback, so `listening` and `audit` find it by its socket.
  const script = `
    require('fs').writeFileSync('/proc/self/comm', ${JSON.stringify(TITLE)});
    const s = require('net').createServer((c) => c.destroy()).listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  childPort = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', (d: string) => resolve(Number(d.trim())));
    child.once('exit', (code) => reject(new Error(`renamed child exited ${code}`)));
  });
  // An SSH banner whose comment (reported in the VERSION column, as nmap does) carries C1 CSI as the raw byte
  // 9B and as UTF-8 C2 9B, ESC sequences and a bidi override (U+202E). The connection stays open, as sshd's.
  banner = createServer((c) => {
    c.on('error', () => {});
    c.write(Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2'), Buffer.from([0x9b, 0x32, 0x4a, 0x1b, 0x5b, 0x33, 0x31, 0x6d]), Buffer.from('\u009b1m\u202e\x1b]0;pw\x07\r\n')]));
    setTimeout(() => c.destroy(), 5000).unref();
  });
  await new Promise<void>((resolve) => banner.listen(0, '127.0.0.1', resolve));
  bannerPort = (banner.address() as { port: number }).port;
});

after(async () => {
  child?.kill();
  await new Promise<void>((resolve) => banner.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

test('the process name really is the escape sequence (the test can fail)', () => {
  assert.equal(readFileSync(`/proc/${child.pid}/comm`, 'utf8'), `${TITLE}\n`);
});

test('listening and listening -v show a hostile process name as visible escapes', async () => {
  for (const args of [
    ['listening', '-t', '-p', String(childPort)],
    ['listening', '-v', '-t', '-p', String(childPort)],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`${child.pid}/${TITLE_SHOWN}`), `${args.join(' ')}:\n${r.stdout}`);
    assertTerminalSafe(r.stdout, args.join(' '));
  }
});

test('listening --json keeps the name as data, -oX - as well-formed XML without controls', async () => {
  const json = await cli(['listening', '-t', '-p', String(childPort), '--json']);
  const doc = JSON.parse(json.stdout) as { sockets: { processes: { name: string }[] }[] };
  assert.equal(doc.sockets[0]!.processes[0]!.name, TITLE);
  const xml = await cli(['listening', '-t', '-p', String(childPort), '-oX', '-']);
  assert.ok(xml.stdout.includes(`name="${TITLE_SHOWN}"`), xml.stdout);
  assertTerminalSafe(xml.stdout, 'listening -oX -');
});

test('audit text shows the hostile name escaped', async () => {
  const r = await cli(['audit', '--local', '--no-scan']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(r.stdout.includes(TITLE_SHOWN), r.stdout);
  assertTerminalSafe(r.stdout, 'audit');
});

test('a banner with C1 CSI, ESC and a bidi override is escaped in normal and grepable output', async () => {
  const r = await cli(['scan', '-n', '-Pn', '-sV', '-p', String(bannerPort), '-oG', join(tmp, 'g.txt'), '127.0.0.1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`${bannerPort}/tcp +open`), r.stdout);
  assert.ok(r.stdout.includes('\\x9b'), r.stdout);
  assertTerminalSafe(r.stdout, 'normal output');
  const grep = readFileSync(join(tmp, 'g.txt'), 'utf8');
  assert.ok(grep.includes(`${bannerPort}/open/tcp//`), grep);
  assertTerminalSafe(grep, 'grepable output');
});

/** A portscope JSON scan (valid against docs/schema/scan.schema.json) whose texts carry escapes and newlines. */
function hostileScan(product: string, start: string): string {
  return JSON.stringify({
    scanner: 'portscope',
    formatVersion: 1,
    version: '0.1.0',
    args: 'portscope scan \x1b[2J\nFAKE LINE',
    start,
    verbose: 0,
    scaninfo: [{ type: 'connect', protocol: 'tcp', numServices: 1, services: '22' }],
    hosts: [
      {
        address: '192.0.2.7',
        family: 4,
        hostnames: [{ name: 'evil\n\x1b]0;pw\x07.example', type: 'user' }],
        status: 'up',
        reason: 'user-set',
        start,
        end: start,
        complete: true,
        timedOut: false,
        ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack', tries: 1, service: { name: 'ssh\u202e', method: 'probed', conf: 10, product } }],
        extraports: [],
        stats: { probesSent: 1, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 1000 },
      },
    ],
    targetProblems: [],
    summary: { start, end: start, elapsedSeconds: 1, hostsTotal: 1, hostsUp: 1, hostsDown: 0, probesSent: 1, exit: 'success', interrupted: false },
  });
}

test('diff of files holding escapes and newlines prints them escaped, one line per port', async () => {
  writeFileSync(join(tmp, 'a.json'), hostileScan('Open\x1b[31mSSH\u009b', '2026-01-01T00:00:00.000Z'));
  writeFileSync(join(tmp, 'b.json'), hostileScan('Other\nSSH\x07', '2026-01-02T00:00:00.000Z'));
  const r = await cli(['diff', join(tmp, 'a.json'), join(tmp, 'b.json')]);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes('Open\\x1b[31mSSH\\x9b -> Other\\x0aSSH\\x07'), r.stdout);
  assert.ok(r.stdout.includes('evil\\x0a\\x1b]0;pw\\x07.example'), r.stdout);
  assertTerminalSafe(r.stdout, 'diff');
});

test('history after import of hostile files prints them escaped', async () => {
  const db = join(tmp, 'h.db');
  writeFileSync(join(tmp, 'evil\nname.json'), hostileScan('Open\x1b[31mSSH', '2026-01-03T00:00:00.000Z'));
  const imp = await cli(['import', '--db', db, join(tmp, 'evil\nname.json')]);
  assert.equal(imp.code, 0, imp.stderr);
  for (const args of [
    ['history', '--db', db],
    ['history', '--db', db, '192.0.2.7'],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes('evil\\x0aname.json') || r.stdout.includes('ssh\\u{202e}'), r.stdout);
    assertTerminalSafe(r.stdout, args.join(' '));
  }
});

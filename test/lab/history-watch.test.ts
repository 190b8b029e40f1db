/**
 * `portscope watch --every 1s` on 127.0.0.1: a listener added after the first round is reported as a new
 * port on stdout, in the JSON lines file and to a local webhook receiver that answers 500 once (so the
 * delivery is retried); a restarted watch continues the same schedule from the database.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));
const servers: Server[] = [];
let hook: HttpServer;
const received: { status: number; body: string }[] = [];
let dir = '';

async function listen(port = 0): Promise<number> {
  const s = createServer((c) => c.destroy());
  servers.push(s);
  await new Promise<void>((res, rej) => s.once('error', rej).listen(port, '127.0.0.1', () => res()));
  return (s.address() as { port: number }).port;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portscope-watch-'));
  hook = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = received.length === 0 ? 500 : 200; // the first delivery fails: it must be retried
      received.push({ status, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((res) => hook.listen(0, '127.0.0.1', () => res()));
});

after(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  await new Promise<void>((res) => hook.close(() => res()));
  rmSync(dir, { recursive: true, force: true });
});

test('watch reports a new listener to stdout, JSON lines and a webhook (retried after a 500), and resumes after a restart', async () => {
  const first = await listen();
  const later = await listen();
  await new Promise<void>((res) => servers.pop()!.close(() => res())); // free now, listened on after round 1
  const db = join(dir, 'h.db');
  const jsonl = join(dir, 'changes.jsonl');
  const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
  const args = [PORTSCOPE, 'watch', '-n', '-Pn', '-p', `${first},${later}`, '127.0.0.1', '--every', '1s', '--db', db, '--jsonl', jsonl, '--webhook', url];

  const child = spawn(process.execPath, [...args, '--rounds', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let opened = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (!opened && /baseline/.test(stdout)) {
      opened = true;
      void listen(later);
    }
  });
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  assert.equal(code, 0, stderr);
  const ids = [...stdout.matchAll(/scan #(\d+)/g)].map((m) => Number(m[1]));
  assert.match(stdout, /first scan of this schedule \(baseline\)/);
  assert.match(stdout, new RegExp(`CHANGES since #${ids[0]}:\\n.*\\n\\s+\\+ ${later}/tcp\\s+open`));
  assert.match(stdout, /webhook: delivered after 2 attempt\(s\)/);
  assert.match(stdout, new RegExp(`scan #${ids[2]}: no changes since #${ids[1]}`));

  const lines = readFileSync(jsonl, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { scanId: number; previousScanId: number | null; changed: boolean; diff: { hosts: { ports: { kind: string; port: number }[] }[] } | null; webhook: { delivered: boolean; attempts: number } | null });
  assert.deepEqual(
    lines.map((l) => [l.scanId, l.previousScanId, l.changed]),
    [
      [ids[0], null, false],
      [ids[1], ids[0], true],
      [ids[2], ids[1], false],
    ],
  );
  assert.deepEqual(
    lines[1]!.diff!.hosts[0]!.ports.map((p) => [p.kind, p.port]),
    [['new', later]],
  );
  assert.deepEqual(lines[1]!.webhook, { delivered: true, attempts: 2 });

  assert.deepEqual(
    received.map((r) => r.status),
    [500, 200],
  );
  assert.equal(received[0]!.body, received[1]!.body);
  const payload = JSON.parse(received[1]!.body) as { event: string; scanId: number; previousScanId: number; diff: { hosts: { address: string; ports: { kind: string; port: number }[] }[] } };
  assert.deepEqual([payload.event, payload.scanId, payload.previousScanId], ['portscope.watch.change', ids[1], ids[0]]);
  assert.deepEqual(
    payload.diff.hosts.map((h) => [h.address, h.ports.map((p) => `${p.kind} ${p.port}`)]),
    [['127.0.0.1', [`new ${later}`]]],
  );

  // Restart: the same command finds its schedule and compares with the last scan, no new baseline.
  const again = spawnSync(process.execPath, [...args, '--rounds', '1'], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.doesNotMatch(again.stdout, /baseline/);
  assert.match(again.stdout, new RegExp(`no changes since #${ids[2]}`));

  const hist = spawnSync(process.execPath, [PORTSCOPE, 'history', '--db', db, '--json', '127.0.0.1'], { encoding: 'utf8' });
  const h = JSON.parse(hist.stdout) as { scans: { source: string }[]; hosts: { ports: { port: number; firstSeen: { scanId: number } }[] }[] };
  assert.equal(h.scans.length, 4);
  assert.ok(h.scans.every((s) => s.source === 'watch'));
  assert.equal(h.hosts[0]!.ports.find((p) => p.port === later)?.firstSeen.scanId, ids[1]);
  assert.equal(h.hosts[0]!.ports.find((p) => p.port === first)?.firstSeen.scanId, ids[0]);
});

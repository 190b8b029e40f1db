/**
 * watch and its webhooks (issue 10 items 10-11) against real HTTP servers on loopback (port 0): secrets
 * redacted, redirects bounded, the real attempt count after an interrupt, malformed URLs refused at start,
 * a hanging hook running beside the schedule, and intervals longer than setTimeout's 2^31-1 ms.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { postWithRetry, sleepUntil, watch, type WatchRound } from '../../src/api/watch.js';
import { OptionError } from '../../src/model/index.js';
import { PORTSCOPE } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'portscope-hook-'));
const closers: (() => Promise<void>)[] = [];
after(async () => {
  await Promise.all(closers.map((c) => c()));
  rmSync(dir, { recursive: true, force: true });
});

/** An HTTP server on 127.0.0.1:0 that records every request and answers with `handler`. */
async function hookServer(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<{ url: string; requests: { url: string; auth?: string }[]; server: HttpServer }> {
  const requests: { url: string; auth?: string }[] = [];
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      handler(req, res, requests.length);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  closers.push(
    () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests, server };
}

/** A loopback TCP listener that counts connections (the scans reaching it). */
async function listener(port = 0): Promise<{ port: number; connections: () => number; server: Server }> {
  let n = 0;
  const server = createServer((c) => {
    n++;
    c.destroy();
  });
  await new Promise<void>((res, rej) => server.once('error', rej).listen(port, '127.0.0.1', () => res()));
  closers.push(() => new Promise<void>((res) => server.close(() => res())));
  return { port: (server.address() as { port: number }).port, connections: () => n, server };
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const l = createServer();
  await new Promise<void>((res) => l.listen(0, '127.0.0.1', () => res()));
  const port = (l.address() as { port: number }).port;
  await new Promise<void>((res) => l.close(() => res()));
  return port;
}

test('a redirect loop is one failed delivery after 5 redirects, not a hundred POSTs', async () => {
  const hook = await hookServer((_req, res) => res.writeHead(302, { location: '/again' }).end());
  const r = await postWithRetry({ url: `${hook.url}/hook`, retries: 4, backoffMs: 10 }, '{}');
  assert.deepEqual(r, { delivered: false, attempts: 1, error: 'more than 5 redirects (a redirect loop?)' });
  assert.equal(hook.requests.length, 6);
});

test('a redirect to a working URL is followed and delivered with POST', async () => {
  const hook = await hookServer((req, res) => (req.url === '/final' ? res.writeHead(204).end() : res.writeHead(307, { location: '/final' }).end()));
  assert.deepEqual(await postWithRetry({ url: `${hook.url}/start`, retries: 0 }, '{}'), { delivered: true, attempts: 1 });
  assert.deepEqual(
    hook.requests.map((q) => q.url),
    ['/start', '/final'],
  );
});

test('Ctrl-C during a hanging delivery reports the attempts really made', async () => {
  const hook = await hookServer(() => {}); // never answers
  const ac = new AbortController();
  const done = postWithRetry({ url: `${hook.url}/hang`, retries: 4, backoffMs: 10 }, '{}', ac.signal);
  while (hook.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
  ac.abort('Interrupted by SIGINT');
  assert.deepEqual(await done, { delivered: false, attempts: 1, error: 'interrupted' });
});

test('credentials in the URL are sent as Basic authentication and redacted in the error', async () => {
  const hook = await hookServer((_req, res) => res.writeHead(500).end());
  const { port } = new URL(hook.url);
  const r = await postWithRetry({ url: `http://alice:s3cret@127.0.0.1:${port}/h?token=T0KEN&x=1`, retries: 1, backoffMs: 10 }, '{}');
  assert.deepEqual(r, { delivered: false, attempts: 2, error: 'HTTP 500' });
  assert.equal(hook.requests[0]!.auth, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
  assert.equal(hook.requests[0]!.url, '/h?token=T0KEN&x=1');
});

test('a malformed webhook URL is refused before the first scan', async () => {
  await assert.rejects(
    watch({ targets: ['127.0.0.1'], everyMs: 1000, db: join(dir, 'bad.db'), webhook: { url: 'http://[::1', format: 'generic' } }),
    (e: unknown) => e instanceof OptionError && /invalid --webhook "http:\/\/\[::1": not a valid URL/.test(e.message),
  );
});

test('CLI: watch --webhook http://[::1 exits 2 at start with one line', async () => {
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const c = spawn(process.execPath, [PORTSCOPE, 'watch', '-n', '-Pn', '-p', '1', '127.0.0.1', '--every', '1s', '--db', join(dir, 'cli.db'), '--webhook', 'http://[::1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('exit', (code) => resolve({ code, stderr }));
  });
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('a hanging webhook does not hold back the next round, and its report keeps round order', async () => {
  const hook = await hookServer(() => {}); // never answers: the delivery times out
  const port = await freePort();
  let target: Awaited<ReturnType<typeof listener>> | undefined;
  let connectionsWhileHookOpen = -1;
  const rounds: WatchRound[] = [];
  const n = await watch({
    targets: ['127.0.0.1'],
    scan: { ports: String(port), skipDiscovery: true, noReverseDns: true },
    everyMs: 300,
    rounds: 3,
    db: join(dir, 'hang.db'),
    webhook: { url: `${hook.url}/hang`, format: 'generic', retries: 0, timeoutMs: 4000 },
    onRound: async (r) => {
      rounds.push(r);
      if (rounds.length === 1) target = await listener(port); // round 2 sees a new open port: a change
      if (rounds.length === 2 && target) connectionsWhileHookOpen = target.connections();
    },
  });
  assert.equal(n, 3);
  assert.deepEqual(
    rounds.map((r) => r.diff?.changed ?? null),
    [null, true, false],
  );
  assert.deepEqual(rounds[1]!.webhook, { delivered: false, attempts: 1, error: 'no answer within 4 s' });
  // Round 2 is reported when its delivery gave up; by then round 3 had scanned the port already.
  assert.equal(connectionsWhileHookOpen, 2, 'round 3 scanned while the hook was still hanging');
});

test('--every beyond 2^31-1 ms waits (a chain of timers) instead of firing at once', async () => {
  const ac = new AbortController();
  const long = sleepUntil(Date.now() + 600 * 3600_000, ac.signal).then(() => 'woke');
  const short = new Promise((r) => setTimeout(() => r('still waiting'), 300));
  assert.equal(await Promise.race([long, short]), 'still waiting');
  ac.abort();
  assert.equal(await long, 'woke');
});

test('watch --every 600h runs one round, then waits', async () => {
  const ac = new AbortController();
  const rounds: WatchRound[] = [];
  const done = watch({ targets: ['127.0.0.1'], scan: { ports: String(await freePort()), skipDiscovery: true, noReverseDns: true }, everyMs: 600 * 3600_000, db: join(dir, 'long.db'), signal: ac.signal, onRound: (r) => void rounds.push(r) });
  while (rounds.length === 0) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  ac.abort('test over');
  assert.equal(await done, 1);
});

test("CLI: the webhook URL's credentials and token appear as *** on stderr and in --jsonl, never in clear", async () => {
  const hook = await hookServer((_req, res) => res.writeHead(400).end());
  const { port: hookPort } = new URL(hook.url);
  const url = `http://bob:Pa55word@127.0.0.1:${hookPort}/h?token=T0KEN123&channel=ops`;
  const port = await freePort();
  const jsonl = join(dir, 'r.jsonl');
  const child = spawn(process.execPath, [PORTSCOPE, 'watch', '-n', '-Pn', '-p', String(port), '127.0.0.1', '--every', '1s', '--rounds', '2', '--db', join(dir, 'redact.db'), '--jsonl', jsonl, '--webhook', url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (/baseline/.test(stdout) && !closers.some((c) => (c as { port?: number }).port === port)) {
      const p = listener(port);
      closers.push(Object.assign(async () => void (await p), { port }));
    }
  });
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /webhook http:\/\/\*\*\*@127\.0\.0\.1:\d+\/h\?token=\*\*\*&channel=ops failed after 1 attempt: HTTP 400/);
  const all = stdout + stderr + readFileSync(jsonl, 'utf8');
  assert.ok(!all.includes('Pa55word') && !all.includes('T0KEN123'), all);
  const rounds = readFileSync(jsonl, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { webhook: unknown });
  assert.deepEqual(
    rounds.map((r) => r.webhook),
    [null, { delivered: false, attempts: 1, error: 'HTTP 400' }],
  );
});

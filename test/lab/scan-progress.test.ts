import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Progress goes to stderr on a terminal only (README: "Long work shows progress"). A pseudo-terminal comes
// from util-linux's script(1); the scan is of a loopback listener, slowed by --scan-delay.
const run = promisify(execFile);
const PORTSCOPE = fileURLToPath(new URL('../../../bin/portscope', import.meta.url));
let server: Server;
let port = 0;

before(async () => {
  server = createServer((c) => c.destroy());
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  port = (server.address() as { port: number }).port;
});
after(() => new Promise<void>((res) => server.close(() => res())));

const args = (extra: string) => `${process.execPath} ${PORTSCOPE} scan -n -Pn --scan-delay 250ms --no-color -p 1-6,${port} ${extra} 127.0.0.1`;

test('a scan on a terminal shows a self-overwriting progress line', async () => {
  const { stdout } = await run('script', ['-qec', args(''), '/dev/null'], { timeout: 60_000 });
  assert.match(stdout, /\r\x1b\[2Kscanning: \d+\/7 ports \(\d+%\)/);
  assert.match(stdout, new RegExp(`${port}/tcp +open`));
});

test('--quiet turns the progress line off on a terminal', async () => {
  const { stdout } = await run('script', ['-qec', args('-q'), '/dev/null'], { timeout: 60_000 });
  assert.doesNotMatch(stdout, /scanning: /);
  assert.match(stdout, new RegExp(`${port}/tcp +open`));
});

test('no progress is written when stderr is not a terminal', async () => {
  const { stdout, stderr } = await run(process.execPath, [PORTSCOPE, 'scan', '-n', '-Pn', '--scan-delay', '250ms', '-p', `1-6,${port}`, '127.0.0.1'], { timeout: 60_000 });
  assert.equal(stderr, '');
  assert.match(stdout, new RegExp(`${port}/tcp +open`));
});

test('on a 40-column terminal every progress line fits in 39 columns (it never wraps)', async () => {
  const { stdout } = await run('script', ['-qec', `stty cols 40; ${args('')}`, '/dev/null'], { timeout: 60_000 });
  const lines = stdout
    .split('\r\x1b[2K')
    .filter((s) => s.startsWith('scanning: '))
    .map((s) => s.split(/[\r\n]/)[0]!);
  assert.ok(lines.length > 0, stdout);
  for (const l of lines) assert.ok([...l].length <= 39, `${[...l].length} columns: ${JSON.stringify(l)}`);
  assert.match(stdout, new RegExp(`${port}/tcp +open`));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliIO } from '../../../src/cli/io.js';
import { parseListeningArgs, runListening } from '../../../src/cli/listening.js';

// Option parsing of src/cli/listening.ts (tested with the rest of the listening feature).
test('filters and outputs are parsed into one options object', () => {
  const cli = parseListeningArgs(['-t', '--udp', '--public', '-p', '22,80', '--port=443', '--process', 'nginx', '--user=www-data', '--netns', 'lab', '-oJ', 'out.json', '-oX', '-', '-v']);
  assert.deepEqual(cli.options, { tcp: true, udp: true, public: true, ports: [22, 80, 443], process: 'nginx', user: 'www-data', netns: 'lab' });
  assert.deepEqual(cli.outputs, [
    { kind: 'json', path: 'out.json' },
    { kind: 'xml', path: '-' },
  ]);
  assert.equal(cli.verbose, true);
});

test('bad options are one clear error each', () => {
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown option "--bogus"/],
    [['stray'], /unexpected argument "stray"/],
    [['--port'], /--port needs a value/],
    [['--port', '--tcp'], /--port needs a value/],
    [['--tcp=yes'], /--tcp takes no value/],
    [['--port', '99999'], /--port: "99999"/],
    [['--json', '-oX', '-'], /only one output can go to stdout/],
  ];
  for (const [argv, re] of cases) assert.throws(() => parseListeningArgs(argv), re, argv.join(' '));
});

function fakeIO(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(String(s)), true) }) as unknown as NodeJS.WritableStream;
  const io: CliIO = { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), stdoutIsTTY: false, stderrIsTTY: false, env: {} };
  return { io, out: () => out, err: () => err };
}

test('runListening: a bad option or an unwritable output is one stderr line and exit 2', async () => {
  for (const argv of [['--bogus'], ['--port', 'x'], ['-oJ', '/nonexistent-dir/out.json']]) {
    const f = fakeIO();
    assert.equal(await runListening(argv, f.io), 2, argv.join(' '));
    assert.equal(f.out(), '');
    assert.match(f.err(), /^portscope: [^\n]+\n$/);
  }
});

test('runListening --help prints the usage and exits 0', async () => {
  const f = fakeIO();
  assert.equal(await runListening(['--help'], f.io), 0);
  assert.match(f.out(), /^Usage: portscope listening/);
});

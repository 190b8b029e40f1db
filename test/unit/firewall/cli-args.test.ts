import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCloseArgs, parseExplainArgs } from '../../../src/cli/firewall-options.js';

test('explain: options become one options object', () => {
  const cli = parseExplainArgs(['-p', '22,80-81', '--only-ports', '--from', '192.0.2.1,2001:db8::1', '--iface', 'eth0', '--ruleset', 'r.json', '--scan', 's.xml', '--json']);
  assert.deepEqual(cli.options, { ports: [22, 80, 81], onlyPorts: true, from: ['192.0.2.1', '2001:db8::1'], iface: 'eth0', rulesetFile: 'r.json', scanFile: 's.xml' });
  assert.equal(cli.json, true);
  assert.deepEqual(parseExplainArgs(['-sU', '-p', '53']).options, { udp: true, ports: [53] });
  assert.deepEqual(parseExplainArgs(['-sTU', '-p', '53,80']).options, { tcp: true, udp: true, ports: [53, 80] });
});

test('close: PORT, PORT/tcp, PORT/udp with --apply or --undo', () => {
  assert.deepEqual(parseCloseArgs(['22']).options, { port: 22, protocol: 'tcp' });
  assert.deepEqual(parseCloseArgs(['53/udp', '--apply']).options, { port: 53, protocol: 'udp', apply: true });
  assert.deepEqual(parseCloseArgs(['8080/TCP', '--undo']).options, { port: 8080, protocol: 'tcp', undo: true });
});

const bad: [string, () => unknown, RegExp][] = [
  ['explain: unknown option', () => parseExplainArgs(['--bogus']), /unknown option "--bogus" \(see portscope explain --help\)/],
  ['explain: --only-ports without -p', () => parseExplainArgs(['--only-ports']), /--only-ports needs -p/],
  ['explain: bad port spec', () => parseExplainArgs(['-p', '70000']), /port/],
  ['explain: --from without a value', () => parseExplainArgs(['--from']), /--from needs a value/],
  ['close: no port', () => parseCloseArgs([]), /which port\?/],
  ['close: bad protocol', () => parseCloseArgs(['22/sctp']), /is not PORT or PORT\/tcp or PORT\/udp/],
  ['close: two ports', () => parseCloseArgs(['22', '23']), /one port at a time/],
];
for (const [name, fn, message] of bad) {
  test(`bad arguments are one clear error: ${name}`, () => assert.throws(fn, message));
}

test('explain with a malformed ruleset file: one line naming the file, exit 2', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { runExplain } = await import('../../../src/cli/explain.js');
  const dir = mkdtempSync(join(tmpdir(), 'portscope-fw-'));
  try {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"nftables": [');
    let out = '';
    let err = '';
    const sink = (append: (s: string) => void) => ({
      write: (s: string) => {
        append(s);
        return true;
      },
    });
    const io = {
      stdout: sink((s) => {
        out += s;
      }),
      stderr: sink((s) => {
        err += s;
      }),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
    } as never;
    assert.equal(await runExplain(['--ruleset', file], io), 2);
    assert.equal(out, '');
    assert.match(err, /^portscope: .*bad\.json: not valid JSON \(.*\)\n$/);
    assert.equal(await runExplain(['--ruleset', join(dir, 'missing.json')], io), 2);
    assert.match(err.split('\n')[1] ?? '', /^portscope: cannot read ruleset "?.*missing\.json"?: ENOENT$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

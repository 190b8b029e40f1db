import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab, type Lab } from '../helpers/netlab/index.js';
import { describeRun, scanCli } from './support/cli.js';

// Malformed input: exit 2, one line on stderr, no stack trace, nothing on stdout. Run in a scanner namespace
// with only lo, so a parser that let something through could not send a packet anywhere.
const CASES: [string, string[]][] = [
  ['a CIDR prefix too long', ['-p', '80', '192.0.2.0/33']],
  ['an octet range out of order', ['-p', '80', '192.0.2.9-3']],
  ['an octet above 255', ['-p', '80', '192.0.2.256']],
  ['a port above 65535', ['-p', '70000', '127.0.0.1']],
  ['a reversed port range', ['-p', '90-80', '127.0.0.1']],
  ['garbage in a port list', ['-p', '80,,x', '127.0.0.1']],
  ['an unknown option', ['--no-such-option', '127.0.0.1']],
  ['an option missing its value', ['127.0.0.1', '-p']],
  ['a bad timing template', ['-T9', '127.0.0.1']],
  ['a non-numeric --max-retries', ['--max-retries', 'lots', '127.0.0.1']],
  ['a bad time value', ['--host-timeout', '5parsecs', '127.0.0.1']],
  ['a bad proxy URL', ['--proxy', 'http://192.0.2.1:8080', '-p', '80', '127.0.0.1']],
  ['no targets at all', ['-p', '80']],
];

let lab: Lab | undefined;
before(async () => {
  if (labTestOptions().skip) return;
  assertLabAvailable();
  lab = await createLab({ targets: 0 });
});
after(async () => {
  await lab?.close();
});

for (const [what, args] of CASES) {
  test(`${what} exits 2 with exactly one error line (${args.join(' ')})`, labTestOptions(), async () => {
    assert.ok(lab);
    const r = await scanCli(lab, args, { timeoutMs: 20_000 });
    assert.equal(r.code, 2, describeRun(r));
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, `stderr:\n${r.stderr}`);
    assert.match(lines[0]!, /^portscope: /);
    assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+|Error:|internal error/);
    assert.equal(r.stdout, '');
  });
}

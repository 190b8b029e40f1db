import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAuditArgs, writeAtomic } from '../../../src/cli/audit.js';

test('audit options parse into one object; defaults: text, fail on low', () => {
  const cli = parseAuditArgs(['--policy', 'p.yaml', '--format=sarif', '--fail-on', 'high', '-o', 'out.sarif', '-p', '1-1024', '-T4', '--max-retries', '2', '192.0.2.7']);
  assert.equal(cli.policy, 'p.yaml');
  assert.equal(cli.format, 'sarif');
  assert.equal(cli.failOn, 'high');
  assert.equal(cli.output, 'out.sarif');
  assert.equal(cli.ports, '1-1024');
  assert.equal(cli.template, 4);
  assert.equal(cli.maxRetries, 2);
  assert.deepEqual(cli.targets, ['192.0.2.7']);
  const d = parseAuditArgs([]);
  assert.equal(d.format, 'text');
  assert.equal(d.failOn, 'low');
});

const BAD: [string[], RegExp][] = [
  [['--fail-on', 'severe'], /--fail-on: "severe" is not a severity \(info, low, medium, high, critical\)/],
  [['--format', 'xml'], /--format: "xml" is not a format/],
  [['--init'], /--init needs --policy FILE/],
  [['--force', '--policy', 'x'], /--force only applies to --init/],
  [['--policy'], /--policy needs a value/],
  [['--bogus'], /unknown option "--bogus"/],
  [['--no-scan=1'], /--no-scan takes no value/],
  [['-p', '80', '--top-ports', '10'], /-p and --top-ports cannot be combined/],
  [['--top-ports', 'ten'], /--top-ports: expected a whole number/],
];
for (const [argv, message] of BAD) {
  test(`audit ${argv.join(' ')} is a usage error`, () => {
    assert.throws(
      () => parseAuditArgs(argv),
      (err: Error & { code?: string }) => err.code === 'E_OPTION' && message.test(err.message),
    );
  });
}

test('writeAtomic replaces the file whole and leaves no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-atomic-'));
  try {
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, 'old');
    writeAtomic(path, 'new\n');
    assert.equal(readFileSync(path, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(dir), ['policy.yaml']);
    assert.throws(() => writeAtomic(join(dir, 'missing', 'x.yaml'), 'x'), /cannot write ".*x\.yaml": ENOENT/);
    assert.equal(existsSync(join(dir, 'missing')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad policy file ends the command with exit 2 and one line naming file:line:column', async () => {
  const { runAudit } = await import('../../../src/cli/audit.js');
  const dir = mkdtempSync(join(tmpdir(), 'ps-audit-cli-'));
  try {
    const path = join(dir, 'policy.yaml');
    writeFileSync(path, 'version: 1\nports:\n  - port: 22\n  - port: 80\n  - port: 70000\n');
    let out = '';
    let err = '';
    const io = { stdout: { write: (t: string) => ((out += t), true) }, stderr: { write: (t: string) => ((err += t), true) }, stdoutIsTTY: false, stderrIsTTY: false, env: {} } as unknown as Parameters<typeof runAudit>[1];
    const code = await runAudit(['--policy', path], io, new AbortController().signal);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.equal(err, `portscope: ${path}:5:11: ports[2].port: expected a port 0-65535\n`);
    const missing = await runAudit(['--policy', join(dir, 'nope.yaml')], io, new AbortController().signal);
    assert.equal(missing, 2);
    assert.match(err.split('\n')[1] ?? '', /^portscope: cannot read policy file ".*nope\.yaml": ENOENT$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAuditArgs } from '../../../src/cli/audit.js';
import { parseCommandLine } from '../../../src/cli/options/parse.js';
import { DIFF_COMMAND } from '../../../src/cli/diff-options.js';
import { HISTORY_COMMAND, IMPORT_COMMAND } from '../../../src/cli/store-options.js';
import { WATCH_COMMAND } from '../../../src/cli/watch-options.js';

// The commands other than scan share one util.parseArgs-style grammar (options/parse.ts, style 'posix').
test('history --db --json is a missing value, not a database named "--json"', () => {
  assert.throws(() => parseCommandLine(HISTORY_COMMAND, ['--db', '--json']), /^OptionError: option --db needs a value$|option --db needs a value/);
  assert.throws(() => parseCommandLine(DIFF_COMMAND, ['--db=', '1', '2']), /option --db needs a value/);
});

test('history, diff and import take --db VALUE, --db=VALUE, flags and operands after --', () => {
  assert.deepEqual(parseCommandLine(HISTORY_COMMAND, ['--db', 'h.db', '--json', '192.0.2.7']), { db: 'h.db', json: true, format: 'text', audits: false, help: false, operands: ['192.0.2.7'] });
  assert.deepEqual(parseCommandLine(DIFF_COMMAND, ['--audit', '--db=postgres://x/y', '1', '2']).operands, ['1', '2']);
  assert.equal(parseCommandLine(DIFF_COMMAND, ['--json', '1', '2']).format, 'json');
  assert.deepEqual(parseCommandLine(IMPORT_COMMAND, ['--', '-odd-name.xml']).operands, ['-odd-name.xml']);
  assert.throws(() => parseCommandLine(IMPORT_COMMAND, ['--json']), /unknown option "--json" \(see portscope import --help\)/);
  assert.throws(() => parseCommandLine(HISTORY_COMMAND, ['--json=1']), /option --json takes no value/);
});

test('audit -T takes the names scan takes, attached or not', () => {
  for (const [argv, t] of [
    [['-T4'], 4],
    [['-T', '2'], 2],
    [['-T', 'aggressive'], 4],
    [['-Tinsane'], 5],
  ] as const) {
    assert.equal(parseAuditArgs(argv).template, t, argv.join(' '));
  }
  assert.throws(() => parseAuditArgs(['-T9']), /invalid timing template "-T9"/);
});

test('watch takes its own options and every scan option, nmap style', () => {
  const w = parseCommandLine(WATCH_COMMAND, ['--every=1h', '-p22', '-T4', '--db', 'h.db', '--webhook', 'http://127.0.0.1:9/x', '--rounds', '3', '-sTU', '192.0.2.7']);
  assert.equal(w.every, '1h');
  assert.equal(w.scan.ports, '22');
  assert.equal(w.scan.template, 4);
  assert.equal(w.db, 'h.db');
  assert.equal(w.webhook, 'http://127.0.0.1:9/x');
  assert.equal(w.rounds, '3');
  assert.deepEqual([w.scan.tcp, w.scan.udp], [true, true]);
  assert.deepEqual(w.scan.targets, ['192.0.2.7']);
});

test('portscope COMMAND --help prints the generated help of every command, exit 0', async () => {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const { COMMANDS } = await import('../../../src/cli/main.js');
  const { renderHelp } = await import('../../../src/cli/options/help.js');
  const bin = fileURLToPath(new URL('../../../../bin/portscope', import.meta.url));
  for (const c of COMMANDS) {
    const r = spawnSync(process.execPath, [bin, c.name, '--help'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
    assert.equal(r.stdout, renderHelp(await c.spec!()), c.name);
    assert.match(r.stdout, new RegExp(`^Usage: portscope ${c.name} `));
  }
});

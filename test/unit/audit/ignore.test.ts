import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyIgnores } from '../../../src/audit/ignore.js';
import { parsePolicy } from '../../../src/audit/policy-load.js';
import { hostileFinding } from './fixtures.js';

const f8080 = hostileFinding();
const remote = hostileFinding({ id: 'open-not-allowed:192.0.2.7:tcp/8080', host: '192.0.2.7' });

function run(ignore: string, now: string) {
  const { policy, lines } = parsePolicy(`version: 1\nignore:\n${ignore}`);
  return applyIgnores([f8080, remote], policy, lines, new Date(now));
}

test('an ignore rule hides matching findings through its expiry day (UTC)', () => {
  const r = run('  - { port: 8080, reason: lab, expires: 2026-11-25 }\n', '2026-11-25T23:59:59Z');
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.ignored.map((i) => [i.finding.host, i.reason, i.rule]),
    [
      ['local', 'lab', 'ignore[0]'],
      ['192.0.2.7', 'lab', 'ignore[0]'],
    ],
  );
  assert.deepEqual(r.expiredIgnores, []);
});

test('from the next day an expired ignore rule stops applying and is reported with its line', () => {
  const r = run('  - { port: 8080, reason: lab, expires: 2026-11-25 }\n', '2026-11-26T00:00:00Z');
  assert.equal(r.findings.length, 2);
  assert.deepEqual(r.expiredIgnores, [{ rule: 'ignore[0]', line: 3, reason: 'lab', expires: '2026-11-25' }]);
});

test('ignore rules match by finding type, protocol, port and host (address or CIDR)', () => {
  const keep = (ignore: string): string[] => run(ignore, '2026-01-01T00:00:00Z').findings.map((f) => f.host);
  assert.deepEqual(keep('  - { finding: deleted-executable, reason: x, expires: 2030-01-01 }\n'), ['local', '192.0.2.7']);
  assert.deepEqual(keep('  - { protocol: udp, reason: x, expires: 2030-01-01 }\n'), ['local', '192.0.2.7']);
  assert.deepEqual(keep('  - { port: 8081, reason: x, expires: 2030-01-01 }\n'), ['local', '192.0.2.7']);
  assert.deepEqual(keep('  - { host: local, reason: x, expires: 2030-01-01 }\n'), ['192.0.2.7']);
  assert.deepEqual(keep('  - { host: 192.0.2.0/24, reason: x, expires: 2030-01-01 }\n'), ['local']);
  assert.deepEqual(keep('  - { finding: open-not-allowed, reason: x, expires: 2030-01-01 }\n'), []);
});

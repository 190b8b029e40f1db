import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadPolicyFile, parsePolicy, PolicyError } from '../../../src/audit/policy-load.js';

// Each bad policy names the exact line:column of the offending value (or key, or enclosing map).
const BAD: [name: string, text: string, message: string][] = [
  ['port out of range', 'version: 1\nports:\n  - port: 22\n  - port: 80\n  - port: 70000\n', 'policy.yaml:5:11: ports[2].port: expected a port 0-65535'],
  ['negative port', 'version: 1\nports:\n  - port: -1\n', 'policy.yaml:3:11: ports[0].port: expected a port 0-65535'],
  ['port as text', 'version: 1\nports:\n  - port: ssh\n', 'policy.yaml:3:11: ports[0].port: expected a port 0-65535'],
  ['fractional port', 'version: 1\nports:\n  - port: 22.5\n', 'policy.yaml:3:11: ports[0].port: expected a port 0-65535'],
  ['missing port', 'version: 1\nports:\n  - protocol: tcp\n', 'policy.yaml:3:5: ports[0].port: required field missing'],
  ['unknown key', 'version: 1\nports:\n  - port: 22\n    proto: tcp\n', 'policy.yaml:4:5: ports[0]: unknown field "proto"'],
  ['bad protocol', 'version: 1\nports:\n  - port: 22\n    protocol: sctp\n', 'policy.yaml:4:15: ports[0].protocol: expected one of "tcp"|"udp"'],
  ['bad scope', 'version: 1\nports:\n  - port: 22\n    to: everyone\n', 'policy.yaml:4:9: ports[0].to: expected public, loopback, interface or a CIDR such as 192.0.2.0/24'],
  ['bad CIDR prefix', 'version: 1\nports:\n  - port: 22\n    to: 192.0.2.0/33\n', 'policy.yaml:4:9: ports[0].to: expected public, loopback, interface or a CIDR such as 192.0.2.0/24'],
  ['bad scope in a list', 'version: 1\nports:\n  - port: 22\n    to: [loopback, 10.0.0.0/8, nowhere]\n', 'policy.yaml:4:32: ports[0].to[2]: expected public, loopback, interface or a CIDR such as 192.0.2.0/24'],
  ['missing version', 'ports: []\n', 'policy.yaml:1:1: version: required field missing'],
  ['wrong version', 'version: 2\n', 'policy.yaml:1:10: version: expected 1 (the only policy format version)'],
  ['ignore without reason', 'version: 1\nignore:\n  - port: 22\n    expires: 2026-12-01\n', 'policy.yaml:3:5: ignore[0].reason: required field missing'],
  ['ignore without expiry', 'version: 1\nignore:\n  - port: 22\n    reason: lab\n', 'policy.yaml:3:5: ignore[0].expires: required field missing'],
  ['impossible date', 'version: 1\nignore:\n  - reason: x\n    expires: 2026-02-30\n', 'policy.yaml:4:14: ignore[0].expires: expected a real calendar date'],
  ['date in another format', 'version: 1\nignore:\n  - reason: x\n    expires: 01/12/2026\n', 'policy.yaml:4:14: ignore[0].expires: expected a date YYYY-MM-DD'],
  [
    'unknown finding type',
    'version: 1\nignore:\n  - reason: x\n    expires: 2026-12-01\n    finding: open\n',
    'policy.yaml:5:14: ignore[0].finding: expected one of "open-not-allowed"|"allowed-but-closed"|"exposure-wider-than-allowed"|"listening-but-filtered"|"reachable-without-listener"|"unexpected-owner"|"deleted-executable"|"firewall-only-protection"|"firewall-stale-accept"|"firewall-shadowed-rule"',
  ],
  ['host rule port', 'version: 1\nhosts:\n  - match: 192.0.2.0/24\n    ports:\n      - port: 22\n      - port: 65536\n', 'policy.yaml:6:15: hosts[0].ports[1].port: expected a port 0-65535'],
  ['host without match', 'version: 1\nhosts:\n  - ports: []\n', 'policy.yaml:3:5: hosts[0].match: required field missing'],
  ['YAML syntax', 'version: 1\nports: [ {port: 1}\n', 'policy.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ['duplicate key', 'version: 1\nports:\n  - port: 22\n    port: 23\n', 'policy.yaml:4:5: Map keys must be unique'],
  ['top level not a map', '- port: 22\n', 'policy.yaml:1:1: expected object, received array'],
  ['unknown top-level key', 'version: 1\nrules: []\n', 'policy.yaml:2:1: unknown field "rules"'],
];

for (const [name, text, message] of BAD) {
  test(`a policy with ${name} is rejected with the line and column`, () => {
    assert.throws(
      () => parsePolicy(text, 'policy.yaml'),
      (err: unknown) => err instanceof PolicyError && err.code === 'E_POLICY' && err.message === message,
    );
  });
}

test('more than one problem is counted after the first', () => {
  assert.throws(() => parsePolicy('version: 1\nports:\n  - port: 70000\n  - port: 70001\n'), /ports\[0\]\.port: expected a port 0-65535 \(and 1 more\)$/);
});

test('an empty file is a policy error, not a crash', () => {
  assert.throws(() => parsePolicy(''), /policy\.yaml:1:1: version: required field missing/);
});

test('a valid policy gets its defaults and the line of every rule', () => {
  const text =
    'version: 1\nports:\n  - port: 22\n  - { port: 53, protocol: udp, to: [loopback, 192.0.2.0/24], required: false }\nhosts:\n  - match: [192.0.2.7]\n    ports:\n      - port: 443\nignore:\n  - { port: 8080, reason: lab, expires: 2026-12-31 }\n';
  const { policy, lines } = parsePolicy(text);
  assert.deepEqual(policy.ports[0], { port: 22, protocol: 'tcp', to: 'public', required: true, listener: true });
  assert.deepEqual(policy.ports[1]?.to, ['loopback', '192.0.2.0/24']);
  assert.equal(policy.ignore[0]?.expires, '2026-12-31');
  assert.deepEqual(
    [...lines],
    [
      ['ports[0]', 3],
      ['ports[1]', 4],
      ['ignore[0]', 10],
      ['hosts[0].ports[0]', 8],
    ],
  );
});

test('a YAML alias bomb is one clear PolicyError, not an internal error', () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  const text = `version: 1\n${levels.join('\n')}\n`;
  assert.throws(
    () => parsePolicy(text, 'bomb.yaml'),
    (e: unknown) => e instanceof PolicyError && /^bomb\.yaml: too many YAML alias expansions \(more than 100\): refused as an alias bomb$/.test(e.message),
  );
});

test('a policy file over 1 MiB is refused before it is read or parsed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-policy-'));
  try {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `version: 1\nports:\n${'  - port: 22\n    note: padding padding padding padding\n'.repeat(30_000)}`);
    assert.throws(
      () => loadPolicyFile(file),
      (e: unknown) => e instanceof PolicyError && e.message === `${file}: policy file too large (1.6 MiB; the limit is 1 MiB)`,
    );
    assert.throws(
      () => parsePolicy(readFileSync(file, 'utf8'), 'big.yaml'),
      (e: unknown) => e instanceof PolicyError && /^big\.yaml: policy too large/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

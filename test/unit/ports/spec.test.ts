import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortSpecError, type Protocol } from '../../../src/model/index.js';
import { excludePorts, parsePortSpec } from '../../../src/ports/index.js';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const TCP: Protocol[] = ['tcp'];
const BOTH: Protocol[] = ['tcp', 'udp'];

/** spec, protocols → expected tcp and udp ports */
const valid: [string, Protocol[], number[], number[]][] = [
  ['22', TCP, [22], []],
  ['80,22', TCP, [22, 80], []],
  ['22,22,21-23', TCP, [21, 22, 23], []],
  [' 22 , 80 ', TCP, [22, 80], []],
  ['8000-8005', TCP, range(8000, 8005), []],
  ['-5', TCP, range(1, 5), []],
  ['65530-', TCP, range(65530, 65535), []],
  ['-', TCP, range(1, 65535), []],
  ['0', TCP, [0], []],
  ['0-2', TCP, [0, 1, 2], []],
  ['65535', TCP, [65535], []],
  ['080', TCP, [80], []],
  ['53', BOTH, [53], [53]],
  ['T:22,U:53,161', BOTH, [22], [53, 161]],
  ['U:53,T:21-22,25', BOTH, [21, 22, 25], [53]],
  ['22,U:53', BOTH, [22], [22, 53]],
  ['t:22,u:53', BOTH, [22], [53]],
  ['T:-', BOTH, range(1, 65535), []],
  ['ssh', TCP, [22], []],
  ['http', TCP, [80], []],
  ['HTTPS', TCP, [443], []],
  ['ssh,domain', BOTH, [22, 53], [22, 53]],
  ['U:domain', BOTH, [], [53]],
  ['http-alt', TCP, [591, 8000, 8008, 8080], []],
];

for (const [spec, protocols, tcp, udp] of valid) {
  test(`port spec ${JSON.stringify(spec)} for ${protocols.join('+')} selects the right ports`, () => {
    const sel = parsePortSpec(spec, protocols);
    assert.deepEqual(sel.tcp, tcp);
    assert.deepEqual(sel.udp, udp);
    assert.deepEqual(sel.warnings, []);
  });
}

test('a service wildcard selects every matching name (http* includes http, https, http-alt)', () => {
  const sel = parsePortSpec('http*', TCP);
  for (const p of [80, 443, 591, 8008, 8080]) assert.ok(sel.tcp.includes(p), `port ${p}`);
  assert.ok(!sel.tcp.includes(22));
  assert.deepEqual(
    sel.tcp,
    [...sel.tcp].sort((a, b) => a - b),
  );
  assert.ok(parsePortSpec('ss?', TCP).tcp.includes(22));
});

test('U: ports in a TCP-only scan are a warning, not an error, and are dropped', () => {
  const sel = parsePortSpec('22,U:53', TCP);
  assert.deepEqual(sel.tcp, [22]);
  assert.deepEqual(sel.udp, []);
  assert.equal(sel.warnings.length, 1);
  assert.match(sel.warnings[0]!, /U:.*UDP/);
});

test('S: ports are a warning: SCTP is not scanned', () => {
  const sel = parsePortSpec('S:80,T:22', BOTH);
  assert.deepEqual(sel.tcp, [22]);
  assert.match(sel.warnings.join(), /SCTP/);
});

test('-p- never includes port 0; only an explicit 0 does', () => {
  assert.equal(parsePortSpec('-', TCP).tcp[0], 1);
  assert.equal(parsePortSpec('-10', TCP).tcp[0], 1);
  assert.equal(parsePortSpec('0-10', TCP).tcp[0], 0);
});

/** spec → fragment of the message */
const invalid: [string, string][] = [
  ['', 'empty'],
  ['  ', 'empty'],
  ['65536', 'out of range'],
  ['1-65536', 'out of range'],
  ['99999999999999999999', 'out of range'],
  ['100-1', 'start above its end'],
  ['22,,80', 'empty'],
  [',', 'empty'],
  ['22,', 'empty'],
  ['T:', 'no ports after the prefix'],
  ['T:,80', 'no ports after the prefix'],
  ['X:80', 'unknown protocol prefix'],
  ['1-2-3', 'one "-" at most'],
  ['22 80', 'not a port'],
  ['nosuchservice', 'no known service'],
  ['nosuch*', 'no known service'],
  ['[1-1024]', 'not a port'],
  ['22;rm -rf /', 'not a port'],
  ['T:U:53', 'not a port'],
  ['-1-', 'one "-" at most'],
];

for (const [spec, fragment] of invalid) {
  test(`port spec ${JSON.stringify(spec)} is rejected (${fragment})`, () => {
    assert.throws(
      () => parsePortSpec(spec, BOTH),
      (err: unknown) => err instanceof PortSpecError && err.code === 'E_PORT_SPEC' && err.message.includes(fragment),
    );
  });
}

test('the error names the bad item', () => {
  assert.throws(() => parsePortSpec('22,65536,80', TCP), /"65536"/);
});

test('excludePorts removes ports per protocol; unprefixed items apply to both', () => {
  assert.deepEqual(excludePorts({ tcp: [21, 22, 23, 80], udp: [53, 161] }, '22-23,53'), { tcp: [21, 80], udp: [161] });
  assert.deepEqual(excludePorts({ tcp: [22, 53], udp: [53] }, 'U:53'), { tcp: [22, 53], udp: [] });
  assert.throws(() => excludePorts({ tcp: [22], udp: [] }, '70000'), PortSpecError);
});

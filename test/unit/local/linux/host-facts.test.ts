import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { capabilityFacts, pingSocketFacts, readSysctl } from '../../../../src/local/linux/host-facts.js';

/** A fake /proc holding the given files (path relative to /proc → content). */
function fakeProc(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portscope-proc-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

test('a sysctl name maps to its /proc/sys file; a missing one is null', () => {
  const proc = fakeProc({ 'sys/net/ipv6/icmp/ratelimit': '100\n' });
  assert.equal(readSysctl('net.ipv6.icmp.ratelimit', proc), '100');
  assert.equal(readSysctl('net.ipv4.icmp_ratelimit', proc), null);
});

test('ping sockets are allowed when one of our groups is inside ping_group_range', () => {
  const cases: [string, number[], boolean][] = [
    ['1\t0\n', [0], false], // the kernel's default "1 0": nobody
    ['0\t2147483647\n', [1000], true],
    ['100 200', [50, 150], true],
    ['100 200', [50, 201], false],
    ['100 200', [200], true],
  ];
  for (const [range, gids, allowed] of cases) {
    const facts = pingSocketFacts(gids, fakeProc({ 'sys/net/ipv4/ping_group_range': range }));
    assert.equal(facts.allowed, allowed, `${JSON.stringify(range)} with groups ${gids}`);
  }
  assert.deepEqual(pingSocketFacts([0], fakeProc({})), { groupRange: null, gids: [0], allowed: false });
});

test('CAP_NET_RAW, CAP_NET_ADMIN and CAP_SYS_ADMIN are read from the CapEff bit mask', () => {
  const status = (capEff: string): string => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;
  assert.deepEqual(capabilityFacts(fakeProc({ 'self/status': status('0000000000002000') })), { effective: '0000000000002000', netRaw: true, netAdmin: false, sysAdmin: false });
  assert.deepEqual(capabilityFacts(fakeProc({ 'self/status': status('0000000000201000') })), { effective: '0000000000201000', netRaw: false, netAdmin: true, sysAdmin: true });
  assert.deepEqual(capabilityFacts(fakeProc({ 'self/status': status('0000000000000000') })), { effective: '0000000000000000', netRaw: false, netAdmin: false, sysAdmin: false });
  assert.deepEqual(capabilityFacts(fakeProc({})), { effective: null, netRaw: false, netAdmin: false, sysAdmin: false });
});

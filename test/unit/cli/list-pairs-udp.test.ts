import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { listPairs } from '../../../src/cli/list-pairs.js';
import { parseScanArgs } from '../../../src/cli/scan-args.js';
import type { CliIO } from '../../../src/cli/io.js';
import { planShards } from '../../../src/index.js';
import { fakeResolver } from '../targets/fake-resolver.js';

/** `scan --list-pairs` with -sU / -sT -sU: UDP pairs print as `ADDRESS PORT/udp`, TCP pairs as before. */
function collector(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString('utf8'));
        cb();
      },
    });
  return { io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdoutIsTTY: false, stderrIsTTY: false, env: {} }, out: () => out, err: () => err };
}

for (const [flags, tcp, udp] of [
  [['-sU', '-p', '53,161'], 0, 2],
  [['-sT', '-sU', '-p', 'T:22,80,U:53'], 2, 1],
  [['-sTU', '-p', 'T:22,U:53,161'], 1, 2],
] as const) {
  test(`--list-pairs ${flags.join(' ')}: ${tcp} TCP + ${udp} UDP ports per host, the lines planShards gives`, async () => {
    const o = parseScanArgs([...flags, '--seed', '3', '--shards', '2', '--shard', '1', '--list-pairs', '-n', '192.0.2.0/29']);
    const c = collector();
    assert.equal(await listPairs(o.scan, c.io), 0);
    const lines = c.out().trimEnd().split('\n');
    const plan = await planShards({ targets: ['192.0.2.0/29'], tcp: tcp > 0, udp: true, ports: flags[flags.length - 1]!, seed: '3', count: 2, resolver: fakeResolver({}) });
    const pairs = [...plan.pairsOf(1)];
    assert.deepEqual(
      lines,
      pairs.map((p) => `${p.address} ${p.port}${p.protocol === 'udp' ? '/udp' : ''}`),
    );
    assert.equal(lines.filter((l) => l.endsWith('/udp')).length, pairs.filter((p) => p.protocol === 'udp').length);
    assert.ok(lines.some((l) => l.endsWith('/udp')));
    assert.equal(
      lines.some((l) => !l.endsWith('/udp')),
      tcp > 0,
    );
    assert.match(c.err(), new RegExp(`× ${tcp + udp} ports \\(${tcp} TCP, ${udp} UDP\\)`));
  });
}

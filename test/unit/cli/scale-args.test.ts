import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScanArgs } from '../../../src/cli/scan-args.js';

test('--seed, --shards/--shard, --randomize-hosts and the blocklist flags reach the scan options', () => {
  const o = parseScanArgs(['--seed', 'lab', '--shards', '3', '--shard', '2', '--randomize-hosts', '--no-blocklist', '198.51.100.0/24']);
  assert.equal(o.scan.seed, 'lab');
  assert.deepEqual(o.scan.shard, { index: 2, count: 3 });
  assert.equal(o.scan.randomizeHosts, true);
  assert.equal(o.scan.blocklist, false);
  assert.deepEqual(parseScanArgs(['--blocklist', 'b.txt', 'x']).scan.blocklist, 'b.txt');
});

for (const [args, message] of [
  [['--shard', '1', 'x'], /--shard needs --shards/],
  [['--shards', '3', 'x'], /--shards needs --shard/],
  [['--shards', '3', '--shard', '3', 'x'], /outside 0\.\.2/],
  [['--shards', '0', '--shard', '0', 'x'], /--shards/],
  [['--seed', '', 'x'], /--seed/],
  [['-PU', 'x'], /-PU is not available/],
] as const) {
  test(`${args.join(' ')} is refused: ${String(message)}`, () => {
    assert.throws(() => parseScanArgs([...args]), message);
  });
}

test('-sn, -PS with attached ports, bare -PS = 80, --max-rate-per-host, --no-arp-ping', () => {
  const o = parseScanArgs(['-sn', '-PS22,443', '--max-rate-per-host', '50', '--no-arp-ping', 'x']);
  assert.equal(o.scan.pingOnly, true);
  assert.equal(o.scan.pingPorts, '22,443');
  assert.equal(o.scan.maxRatePerHost, 50);
  assert.equal(o.scan.neighbourDiscovery, false);
  assert.equal(parseScanArgs(['-PS', 'x']).scan.pingPorts, '80');
  assert.deepEqual(parseScanArgs(['-PS', 'x']).scan.targets, ['x']);
});

test('--resume, --resume-file and --list-pairs are CLI-level', () => {
  const o = parseScanArgs(['--resume-file', 'p.json', '--list-pairs', 'x']);
  assert.equal(o.resumeFile, 'p.json');
  assert.equal(o.listPairs, true);
  assert.equal(parseScanArgs(['--resume', 'p.json']).resumeFrom, 'p.json');
});

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
  [['-PP', 'x'], /-PP is not available/],
  [['-PA80', 'x'], /-PA is not available/],
  [['-PEx', 'x'], /-PE takes no argument/],
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

// nmap's -PU[portlist] and -PE (nmap(1), "Host Discovery"): the list is attached, bare -PU is port 40125.
for (const [args, want] of [
  [['-PU', 'x'], { pingUdpPorts: '40125' }],
  [['-PU53,161', 'x'], { pingUdpPorts: '53,161' }],
  [['-PE', 'x'], { pingEcho: true }],
  [['-PE', '-PU', '-PS22', 'x'], { pingEcho: true, pingUdpPorts: '40125', pingPorts: '22' }],
  [['-sn', '-PE', 'x'], { pingEcho: true, pingOnly: true }],
] as const) {
  test(`${args.join(' ')} sets ${JSON.stringify(want)} and keeps the target`, () => {
    const o = parseScanArgs([...args]);
    const got = { pingUdpPorts: o.scan.pingUdpPorts, pingEcho: o.scan.pingEcho, pingPorts: o.scan.pingPorts, pingOnly: o.scan.pingOnly };
    assert.deepEqual(Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined)), want);
    assert.deepEqual(o.scan.targets, ['x']);
  });
}

test('--resume, --resume-file and --list-pairs are CLI-level', () => {
  const o = parseScanArgs(['--resume-file', 'p.json', '--list-pairs', 'x']);
  assert.equal(o.resumeFile, 'p.json');
  assert.equal(o.listPairs, true);
  assert.equal(parseScanArgs(['--resume', 'p.json']).resumeFrom, 'p.json');
});

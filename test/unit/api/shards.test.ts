import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planShards } from '../../../src/index.js';
import { fakeResolver } from '../targets/fake-resolver.js';

const resolver = fakeResolver({});

test('planShards: every pair of the space is in exactly one shard, and shardOf agrees with pairsOf', async () => {
  const plan = await planShards({ targets: ['198.51.100.0/28', '2001:db8::/125'], ports: '22,80,443', seed: 'lab', count: 4, resolver });
  assert.equal(plan.hosts, 16 + 8);
  assert.equal(plan.pairs, 24 * 3);
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    let n = 0;
    for (const { address, port } of plan.pairsOf(i)) {
      const key = `${address} ${port}`;
      assert.ok(!seen.has(key), `${key} twice`);
      seen.add(key);
      assert.equal(plan.shardOf(address, port), i);
      n++;
    }
    assert.equal(n, plan.shardSize(i));
  }
  assert.equal(seen.size, plan.pairs);
  assert.equal(plan.shardOf('192.0.2.1', 22), undefined, 'an address outside the space');
  assert.equal(plan.shardOf('198.51.100.1', 8080), undefined, 'a port outside the scan');
});

test('planShards: the same seed gives the same walk, another seed another', async () => {
  const order = async (seed: string) => [...(await planShards({ targets: ['203.0.113.0/26'], ports: '80', seed, count: 1, resolver })).pairsOf(0)].map((p) => p.address);
  assert.deepEqual(await order('a'), await order('a'));
  assert.notDeepEqual(await order('a'), await order('b'));
});

test('planShards: the default blocklist cuts multicast out of a range, an explicit address stays, --no-blocklist keeps all', async () => {
  const on = await planShards({ targets: ['224.0.0.0/30', '239.1.2.3', '198.51.100.1'], ports: '80', seed: 1, count: 1, resolver });
  assert.deepEqual([...on.pairsOf(0)].map((p) => p.address).sort(), ['198.51.100.1', '239.1.2.3']);
  const off = await planShards({ targets: ['224.0.0.0/30'], ports: '80', seed: 1, count: 1, resolver, blocklist: false });
  assert.equal(off.hosts, 4);
});

test('planShards refuses a bad shard count with one line', async () => {
  await assert.rejects(planShards({ targets: ['198.51.100.1'], ports: '80', seed: 1, count: 0, resolver }), /shard count/);
});

test('planShards: writePairLines gives the same lines as pairsOf, chunk after chunk, IPv4 and IPv6', async () => {
  const plan = await planShards({ targets: ['198.51.100.0/27', '2001:db8::ffff:0/124', '10.200.0.9'], ports: '1,80,443,65535', seed: 'lines', count: 3, resolver });
  for (let i = 0; i < 3; i++) {
    const want = [...plan.pairsOf(i)].map((p) => `${p.address} ${p.port}\n`).join('');
    // 100 bytes hold two or three lines: many chunks, each line whole.
    const buf = new Uint8Array(100);
    let got = '';
    let chunks = 0;
    for (let from = 0; from < plan.shardSize(i); chunks++) {
      const { pairs, bytes } = plan.writePairLines(i, from, buf);
      assert.ok(pairs > 0 && bytes <= buf.length);
      got += Buffer.from(buf.subarray(0, bytes)).toString('latin1');
      from += pairs;
    }
    assert.equal(got, want);
    assert.ok(chunks > 10, `${chunks} chunks`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairWalk, Permutation, seedValue } from '../../../src/targets/index.js';

/** Sizes around the awkward cases: 0, 1, primes, squares, one above a square, powers of two. */
const SIZES = [0, 1, 2, 3, 5, 7, 16, 17, 100, 101, 255, 256, 257, 1000, 1024, 4099, 65_536, 100_003];
const SEEDS = [0, 1, 42, 0xffffffff, 123_456_789];

for (const size of SIZES) {
  test(`a permutation of ${size} elements visits each exactly once, for ${SEEDS.length} seeds`, () => {
    for (const seed of SEEDS) {
      const perm = new Permutation(size, seed);
      const seen = new Uint8Array(size);
      for (let k = 0; k < size; k++) {
        const v = perm.at(k);
        assert.ok(v >= 0 && v < size && Number.isInteger(v), `value ${v} out of range`);
        assert.equal(seen[v], 0, `value ${v} visited twice (seed ${seed})`);
        seen[v] = 1;
        assert.equal(perm.positionOf(v), k, 'positionOf inverts at');
      }
    }
  });
}

test('the walk is deterministic for a seed and differs between seeds', () => {
  const a = new Permutation(10_000, 7);
  const b = new Permutation(10_000, 7);
  const c = new Permutation(10_000, 8);
  const first = (p: Permutation) => Array.from({ length: 50 }, (_, k) => p.at(k));
  assert.deepEqual(first(a), first(b));
  assert.notDeepEqual(first(a), first(c));
});

test('the walk is not the identity nor a rotation: consecutive positions land far apart', () => {
  const perm = new Permutation(1 << 20, 99);
  let near = 0;
  for (let k = 0; k < 10_000; k++) if (Math.abs(perm.at(k + 1) - perm.at(k)) < 256) near++;
  // A uniform random order puts ~0.05% of neighbours within 256 of each other.
  assert.ok(near < 50, `${near} of 10000 steps stayed within 256`);
});

test('a permutation of a domain near 2^52 inverts exactly at its edges', () => {
  const size = 2 ** 52 - 3;
  const perm = new Permutation(size, 5);
  for (const k of [0, 1, size - 1, size - 2, 2 ** 40]) {
    const v = perm.at(k);
    assert.ok(v < size);
    assert.equal(perm.positionOf(v), k);
  }
});

for (const [hosts, ports, count] of [
  [1, 1, 1],
  [1, 5, 3],
  [13, 7, 4],
  [254, 5, 3],
  [1024, 3, 7],
  [300, 1, 16],
] as const) {
  test(`${count} shards of ${hosts} hosts × ${ports} ports are disjoint and their union is the whole space`, () => {
    for (const seed of [1, 2, 3]) {
      const seen = new Uint8Array(hosts * ports);
      let total = 0;
      for (let index = 0; index < count; index++) {
        const walk = new PairWalk(hosts, ports, seed, { index, count });
        let n = 0;
        for (const { host, portIndex } of walk.pairsFrom()) {
          const q = host * ports + portIndex;
          assert.equal(seen[q], 0, `pair ${host}/${portIndex} in two shards`);
          seen[q] = 1;
          assert.ok(walk.owns(host, portIndex), 'owns agrees with the enumeration');
          n++;
        }
        assert.equal(n, walk.shardPairs);
        total += n;
      }
      assert.equal(total, hosts * ports);
    }
  });
}

test('owns() refuses pairs of other shards', () => {
  const walks = [0, 1, 2].map((index) => new PairWalk(50, 4, 9, { index, count: 3 }));
  for (let h = 0; h < 50; h++) {
    for (let p = 0; p < 4; p++) assert.equal(walks.filter((w) => w.owns(h, p)).length, 1);
  }
});

test('resuming a walk from position n yields exactly the rest', () => {
  const walk = new PairWalk(97, 3, 4);
  const all = [...walk.pairsFrom()].map((r) => `${r.host}/${r.portIndex}`);
  const rest = [...walk.pairsFrom(100)].map((r) => `${r.host}/${r.portIndex}`);
  assert.deepEqual(rest, all.slice(100));
});

test('bad shard specs are refused with a reason', () => {
  assert.throws(() => new PairWalk(10, 1, 0, { index: 3, count: 3 }), /shard index 3/);
  assert.throws(() => new PairWalk(10, 1, 0, { index: 0, count: 0 }), /shard count 0/);
});

test('seeds: decimal text equals the number; other text hashes stably', () => {
  assert.equal(seedValue('42'), 42);
  assert.equal(seedValue(42), 42);
  assert.equal(seedValue('lab-run'), seedValue('lab-run'));
  assert.notEqual(seedValue('lab-run'), seedValue('lab-runs'));
});

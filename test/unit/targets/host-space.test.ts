import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExclusionSet, HostSpace, loadBlocklist } from '../../../src/targets/index.js';
import { fakeResolver } from './fake-resolver.js';

const resolver = fakeResolver({ 'lab.test': ['192.0.2.9'] });

async function space(specs: string[], exclude: string[] = [], blocklist = true) {
  return HostSpace.build(specs, { exclusions: await ExclusionSet.build(exclude, resolver), blocklist: blocklist ? await loadBlocklist(undefined) : null, resolver });
}

function addresses(s: HostSpace): string[] {
  return Array.from({ length: s.size }, (_, i) => s.addressAt(i));
}

test('a CIDR block minus exclusions is indexed in order', async () => {
  const { space: s } = await space(['192.0.2.0/29'], ['192.0.2.2-3']);
  assert.deepEqual(addresses(s), ['192.0.2.0', '192.0.2.1', '192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.7']);
  assert.equal(s.indexOf('192.0.2.4'), 2);
  assert.equal(s.indexOf('192.0.2.2'), -1);
});

test('overlapping specs form a set: each address once', async () => {
  const { space: s } = await space(['192.0.2.0/30', '192.0.2.2', '192.0.2.1-5']);
  assert.deepEqual(addresses(s), ['192.0.2.0', '192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5']);
});

test('the default blocklist cuts multicast out of a range but an address given alone is kept', async () => {
  const { space: s } = await space(['223.255.255.254/31', '224.0.0.0/30', '224.0.0.9']);
  assert.deepEqual(addresses(s), ['223.255.255.254', '223.255.255.255', '224.0.0.9']);
});

test('--no-blocklist keeps the whole range', async () => {
  const { space: s } = await space(['224.0.0.0/30'], [], false);
  assert.equal(s.size, 4);
});

test('loopback, documentation and private ranges are not blocklisted', async () => {
  const { space: s } = await space(['127.0.0.0/30', '198.51.100.0/30', '10.0.0.0/30', '2001:db8::/126', '::1']);
  assert.equal(s.size, 4 * 4 + 1);
});

test('IPv6 multicast is cut out of a range', async () => {
  const { space: s } = await space(['ff00::/127', '2001:db8::1']);
  assert.deepEqual(addresses(s), ['2001:db8::1']);
});

test('names resolve, keep their name, and unresolvable names are problems', async () => {
  const { space: s, problems } = await space(['lab.test', 'nowhere.test', 'bad spec!']);
  assert.equal(s.size, 1);
  assert.deepEqual(s.targetAt(0), { address: '192.0.2.9', family: 4, spec: 'lab.test', hostname: 'lab.test' });
  assert.equal(problems.length, 2);
});

test('a /8 is one run: size without materialising', async () => {
  const { space: s } = await space(['10.0.0.0/8']);
  assert.equal(s.size, 16_777_216);
  assert.equal(s.addressAt(16_777_215), '10.255.255.255');
  assert.equal(s.indexOf('10.1.0.0'), 65_536);
});

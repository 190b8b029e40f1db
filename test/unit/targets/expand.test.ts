import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TargetSpecError } from '../../../src/model/index.js';
import { expandTargets, type ExpandOptions, type TargetItem } from '../../../src/targets/index.js';
import { fakeResolver } from './fake-resolver.js';

const resolver = fakeResolver({
  'one.example': ['192.0.2.10'],
  'dual.example': ['2001:db8::10', '192.0.2.20', '192.0.2.21'],
  'v6only.example': ['2001:db8::99'],
  'linklocal.example': ['fe80::1%eth0'],
});

async function* from(specs: string[]): AsyncGenerator<string> {
  yield* specs;
}

function opts(extra: Partial<ExpandOptions> = {}): ExpandOptions {
  return { exclude: [], resolver, resolveAll: false, ...extra };
}

/** Up to `limit` items, then stop the generator (as the scheduler does on interrupt). */
async function take(specs: string[], options: ExpandOptions, limit = Infinity): Promise<TargetItem[]> {
  const out: TargetItem[] = [];
  if (limit <= 0) return out;
  for await (const item of expandTargets(from(specs), options)) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

async function addresses(specs: string[], options = opts()): Promise<string[]> {
  return (await take(specs, options)).map((i) => (i.kind === 'target' ? i.target.address : `problem:${i.problem.spec}`));
}

test('an address expands to itself with its spec and family', async () => {
  const items = await take(['192.0.2.1'], opts());
  assert.deepEqual(items, [{ kind: 'target', target: { address: '192.0.2.1', family: 4, spec: '192.0.2.1' } }]);
});

test('a /30 yields all four addresses including network and broadcast, as nmap', async () => {
  assert.deepEqual(await addresses(['192.0.2.4/30']), ['192.0.2.4', '192.0.2.5', '192.0.2.6', '192.0.2.7']);
});

test('octet ranges expand as the cartesian product, ascending', async () => {
  assert.deepEqual(await addresses(['10.0.1-2.1,3']), ['10.0.1.1', '10.0.1.3', '10.0.2.1', '10.0.2.3']);
  assert.deepEqual(await addresses(['10.0.0.1-3']), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  assert.equal((await addresses(['10.0.0.*'])).length, 256);
});

test('IPv6 CIDR expands in canonical RFC 5952 text', async () => {
  assert.deepEqual(await addresses(['2001:DB8:0::0/126']), ['2001:db8::', '2001:db8::1', '2001:db8::2', '2001:db8::3']);
  assert.deepEqual(await addresses(['::ffff:192.0.2.0/127']), ['::ffff:192.0.2.0', '::ffff:192.0.2.1']);
});

test('counting a /16 yields exactly 65536 distinct addresses', async () => {
  let n = 0;
  let last = '';
  for await (const item of expandTargets(from(['10.1.0.0/16']), opts())) {
    assert.equal(item.kind, 'target');
    n++;
    if (item.kind === 'target') last = item.target.address;
  }
  assert.equal(n, 65536);
  assert.equal(last, '10.1.255.255');
});

test('the first 10 of 10.0.0.0/8 and of 2001:db8::/64 come without expanding the set', async () => {
  const before = process.memoryUsage().heapUsed;
  const v4 = await take(['10.0.0.0/8'], opts(), 10);
  const v6 = await take(['2001:db8::/64'], opts(), 10);
  const all = await take(['0.0.0.0/0', '::/0'], opts({ exclude: ['0.0.0.0/1'] }), 10);
  assert.equal(v4.length, 10);
  assert.equal(v6.length, 10);
  assert.equal(all.length, 10);
  assert.deepEqual(all.map((i) => i.kind === 'target' && i.target.address).slice(0, 2), ['128.0.0.0', '128.0.0.1']);
  // A materialised /8 would need hundreds of MB; 64 MB of slack only catches that, not GC noise.
  assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024);
});

test('exclusions remove single addresses, ranges, CIDR blocks and octet patterns', async () => {
  const got = await addresses(['192.0.2.0/28'], opts({ exclude: ['192.0.2.0', '192.0.2.2-4', '192.0.2.8/30', '192.0.2.*,15'] }));
  assert.deepEqual(got, []);
  const some = await addresses(['192.0.2.0/28'], opts({ exclude: ['192.0.2.0', '192.0.2.2-4', '192.0.2.8/30'] }));
  assert.deepEqual(some, ['192.0.2.1', '192.0.2.5', '192.0.2.6', '192.0.2.7', '192.0.2.12', '192.0.2.13', '192.0.2.14', '192.0.2.15']);
});

test('a sparse octet exclusion (every .1) is applied per address without listing 16M intervals', async () => {
  const got = await addresses(['10.0.0.0/30', '10.9.9.0-2'], opts({ exclude: ['*.*.*.1'] }));
  assert.deepEqual(got, ['10.0.0.0', '10.0.0.2', '10.0.0.3', '10.9.9.0', '10.9.9.2']);
});

test('excluding a /8 skips it in one step: the next address comes right after', async () => {
  const got = await take(['9.255.255.254/31', '10.0.0.0/7'], opts({ exclude: ['10.0.0.0/8'] }), 3);
  assert.deepEqual(
    got.map((i) => i.kind === 'target' && i.target.address),
    ['9.255.255.254', '9.255.255.255', '11.0.0.0'],
  );
});

test('IPv6 exclusions work, and IPv4 exclusions also cover the IPv4-mapped form', async () => {
  assert.deepEqual(await addresses(['2001:db8::/126'], opts({ exclude: ['2001:db8::1/128', '2001:db8::2'] })), ['2001:db8::', '2001:db8::3']);
  assert.deepEqual(await addresses(['::ffff:192.0.2.0/126'], opts({ exclude: ['192.0.2.1'] })), ['::ffff:192.0.2.0', '::ffff:192.0.2.2', '::ffff:192.0.2.3']);
  assert.deepEqual(await addresses(['192.0.2.0/31'], opts({ exclude: ['::ffff:192.0.2.0'] })), ['192.0.2.1']);
});

test('a name resolves to one address (IPv4 first, as nmap without -6) and carries the name', async () => {
  const items = await take(['dual.example', 'v6only.example'], opts());
  assert.deepEqual(items, [
    { kind: 'target', target: { address: '192.0.2.20', family: 4, spec: 'dual.example', hostname: 'dual.example' } },
    { kind: 'target', target: { address: '2001:db8::99', family: 6, spec: 'v6only.example', hostname: 'v6only.example' } },
  ]);
});

test('--resolve-all scans every address of a name', async () => {
  assert.deepEqual(await addresses(['dual.example'], opts({ resolveAll: true })), ['2001:db8::10', '192.0.2.20', '192.0.2.21']);
});

test('name/30 scans the block around the address; only the address itself carries the name', async () => {
  const items = await take(['one.example/30'], opts());
  assert.deepEqual(
    items.map((i) => i.kind === 'target' && [i.target.address, i.target.hostname]),
    [
      ['192.0.2.8', undefined],
      ['192.0.2.9', undefined],
      ['192.0.2.10', 'one.example'],
      ['192.0.2.11', undefined],
    ],
  );
});

test('an unresolvable name is reported as a problem and the scan goes on', async () => {
  const items = await take(['nosuch.example', '192.0.2.1'], opts());
  assert.equal(items.length, 2);
  assert.deepEqual(items[0], { kind: 'problem', problem: { spec: 'nosuch.example', message: 'Failed to resolve "nosuch.example".' } });
  assert.equal(items[1]!.kind, 'target');
});

test('a zone on a resolved link-local address is dropped, the address kept', async () => {
  assert.deepEqual(await addresses(['linklocal.example']), ['fe80::1']);
});

test('a malformed spec from a file is a problem, not the end of the scan', async () => {
  const items = await take(['999.1.1.1', '192.0.2.1'], opts());
  assert.equal(items[0]!.kind, 'problem');
  assert.match(items[0]!.kind === 'problem' ? items[0]!.problem.message : '', /above 255/);
  assert.equal(items[1]!.kind, 'target');
});

test('an excluded name is skipped silently, as nmap', async () => {
  assert.deepEqual(await addresses(['one.example', '192.0.2.11'], opts({ exclude: ['192.0.2.10'] })), ['192.0.2.11']);
  assert.deepEqual(await addresses(['192.0.2.10/31'], opts({ exclude: ['one.example'] })), ['192.0.2.11']);
});

test('a bad or unresolvable exclusion throws TargetSpecError before any target', async () => {
  await assert.rejects(take(['192.0.2.1'], opts({ exclude: ['1.2.3.4/33'] })), (e: unknown) => e instanceof TargetSpecError && /invalid exclusion/.test((e as Error).message));
  await assert.rejects(take(['192.0.2.1'], opts({ exclude: ['nosuch.example'] })), (e: unknown) => e instanceof TargetSpecError && /cannot resolve excluded host/.test((e as Error).message));
});

test('the same address in two specs is scanned once per spec, as nmap', async () => {
  assert.deepEqual(await addresses(['192.0.2.1', '192.0.2.0/31']), ['192.0.2.1', '192.0.2.0', '192.0.2.1']);
});

test('names are resolved lazily, when iteration reaches them', async () => {
  const r = fakeResolver({ 'a.example': ['192.0.2.1'], 'b.example': ['192.0.2.2'] });
  const it = expandTargets(from(['a.example', 'b.example']), { exclude: [], resolver: r, resolveAll: false });
  await it.next();
  assert.deepEqual(r.calls, ['a.example']);
  await it.return(undefined);
});

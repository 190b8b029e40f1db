import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TargetSpecError } from '../../../src/model/index.js';
import { countTargetSpec, parseExcludeSpec, parseTargetSpec } from '../../../src/targets/index.js';

/** spec → [kind, number of addresses (undefined for names)] */
const valid: [string, string, bigint | undefined][] = [
  ['192.0.2.1', 'address', 1n],
  ['  192.0.2.1 ', 'address', 1n],
  ['0.0.0.0', 'address', 1n],
  ['255.255.255.255', 'address', 1n],
  ['192.0.2.0/24', 'cidr', 256n],
  ['192.0.2.77/24', 'cidr', 256n],
  ['10.0.0.0/8', 'cidr', 16777216n],
  ['0.0.0.0/0', 'cidr', 4294967296n],
  ['192.0.2.1/32', 'cidr', 1n],
  ['10.0.0.1-20', 'octets', 20n],
  ['10.0.1-3.1', 'octets', 3n],
  ['10.0.0.*', 'octets', 256n],
  ['10.0.0,2,4.1', 'octets', 3n],
  ['10.0.0.-', 'octets', 256n],
  ['10.0.0.-5', 'octets', 6n],
  ['10.0.0.250-', 'octets', 6n],
  ['10.0.0.1,1,1', 'address', 1n],
  ['10.0.0.1-3,2-5', 'octets', 5n],
  ['*.*.*.*', 'octets', 4294967296n],
  ['::1', 'address', 1n],
  ['::', 'address', 1n],
  ['2001:db8::1', 'address', 1n],
  ['2001:DB8:0:0:0:0:0:1', 'address', 1n],
  ['::ffff:192.0.2.1', 'address', 1n],
  ['64:ff9b::192.0.2.1', 'address', 1n],
  ['1:2:3:4:5:6:7::', 'address', 1n],
  ['2001:db8::/120', 'cidr', 256n],
  ['2001:db8::/64', 'cidr', 1n << 64n],
  ['::/0', 'cidr', 1n << 128n],
  ['2001:db8::1/128', 'cidr', 1n],
  ['localhost', 'name', undefined],
  ['scanme.example.org', 'name', undefined],
  ['scanme.example.org.', 'name', undefined],
  ['my_host', 'name', undefined],
  ['host.example/24', 'name', undefined],
  ['xn--bcher-kva.example', 'name', undefined],
];

for (const [spec, kind, count] of valid) {
  test(`target spec ${JSON.stringify(spec)} parses as ${kind}`, () => {
    const parsed = parseTargetSpec(spec);
    assert.equal(parsed.kind, kind);
    assert.equal(countTargetSpec(parsed), count);
  });
}

test('a CIDR block with host bits set starts at its network address, as nmap does', () => {
  const s = parseTargetSpec('192.0.2.77/24');
  assert.ok(s.kind === 'cidr');
  assert.equal(s.first, (192n << 24n) | (2n << 8n));
});

/** spec → a fragment the message must contain */
const invalid: [string, string][] = [
  ['', 'empty'],
  ['   ', 'empty'],
  ['999.1.1.1', 'above 255'],
  ['256.0.0.1', 'above 255'],
  ['1.2.3', 'expected 4'],
  ['1.2.3.4.5', 'expected 4'],
  ['1.2.3.4/33', 'above 32'],
  ['1.2.3.4/', 'missing prefix'],
  ['/24', 'no address'],
  ['1.2.3.4/24/8', 'more than one'],
  ['1.2.3.4/x', 'not a number'],
  ['::/129', 'above 128'],
  ['2001:db8::/999999999999', 'above 128'],
  ['1.2.3.4-1', 'start above its end'],
  ['10.0.0.1-2-3', 'more than one "-"'],
  ['010.0.0.1', 'leading zero'],
  ['10.0.0,,1.1', 'empty item'],
  ['10.0.0.*/24', 'cannot be combined'],
  ['..', 'expected 4'],
  ['1::2::3', 'only once'],
  ['1:2:3:4:5:6:7:8:9', 'expected 8'],
  ['12345::', 'hex digits'],
  ['fe80::1%eth0', 'zone'],
  ['[::1]', 'without brackets'],
  ['2001:db8::1-5', 'IPv4-only'],
  ['1.2.3.4:80', 'ADDRESS:PORT'],
  ['host name', 'whitespace'],
  ['bad!host', 'not allowed'],
  ['-leading.example', 'starts or ends'],
  ['a..b', 'empty label'],
  ['bücher.example', 'non-ASCII'],
  ['0x7f.0x0.0x0.0x1', 'hex/octal'],
  ['host.123', 'all digits'],
  ['a'.repeat(64) + '.example', 'label longer'],
  ['x'.repeat(10000), 'longer than'],
];

for (const [spec, fragment] of invalid) {
  test(`target spec ${JSON.stringify(spec.length > 40 ? spec.slice(0, 40) + '…' : spec)} is rejected (${fragment})`, () => {
    assert.throws(
      () => parseTargetSpec(spec),
      (err: unknown) => err instanceof TargetSpecError && err.code === 'E_TARGET' && err.message.includes(fragment) && !err.message.includes('\n'),
    );
  });
}

test('the error message names the bad spec, shortened when huge', () => {
  assert.throws(() => parseTargetSpec('999.1.1.1'), /invalid target "999\.1\.1\.1"/);
  try {
    parseTargetSpec('y'.repeat(10000));
    assert.fail('no error');
  } catch (err) {
    assert.ok((err as Error).message.length < 200);
  }
});

test('control characters in a bad spec are escaped in the message', () => {
  assert.throws(
    () => parseTargetSpec('a\u0000b'),
    (err: unknown) => err instanceof TargetSpecError && err.message.includes('\\u0000'),
  );
});

test('an exclusion is validated with the same syntax and says "exclusion"', () => {
  assert.equal(parseExcludeSpec('10.0.0.*').kind, 'octets');
  assert.throws(
    () => parseExcludeSpec('1.2.3.4/33'),
    (e: unknown) => e instanceof TargetSpecError && /invalid exclusion "1\.2\.3\.4\/33"/.test((e as Error).message),
  );
});

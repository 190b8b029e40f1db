import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitTargetList } from '../../../src/targets/index.js';

const cases: [string, string[]][] = [
  ['192.0.2.1', ['192.0.2.1']],
  ['192.0.2.1,192.0.2.9', ['192.0.2.1', '192.0.2.9']],
  ['192.0.2.1,3,5', ['192.0.2.1,3,5']],
  ['10.0.0,2,4.1', ['10.0.0,2,4.1']],
  ['10.0.0,2,4.1,host.example,2001:db8::/120', ['10.0.0,2,4.1', 'host.example', '2001:db8::/120']],
  ['a.example,b.example', ['a.example', 'b.example']],
  ['192.0.2.1,,192.0.2.2,', ['192.0.2.1', '192.0.2.2']],
  ['', []],
  [',', []],
];

for (const [input, want] of cases) {
  test(`--exclude list ${JSON.stringify(input)} splits into ${JSON.stringify(want)}`, () => {
    assert.deepEqual(splitTargetList(input), want);
  });
}

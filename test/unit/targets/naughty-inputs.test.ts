import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTargets, parseTargetSpec, readTargetFile, splitTargetList } from '../../../src/targets/index.js';
import { fakeResolver } from './fake-resolver.js';
import { label, NAUGHTY_PATH, naughtyInputs, parsesOrRefuses } from './naughty-inputs.js';

const resolver = fakeResolver({ localhost: ['127.0.0.1', '::1'], 'xn--bcher-kva.example': ['192.0.2.1'] });
const cases = naughtyInputs();

async function firstItems(specs: string[], exclude: string[], limit: number): Promise<number> {
  let n = 0;
  for await (const _ of expandTargets(specs, { exclude, resolver, resolveAll: true })) {
    if (++n >= limit) break;
  }
  return n;
}

test('the naughty-inputs fixture has the cases the brief lists', () => {
  for (const c of ['', ' ', '-', '1-', '999.1.1.1', '1.2.3.4/33', '::/129', '%00', '1.2.3.4-1', '..', '65536', '0-', 'T:', ',,', '\u0000', 'x'.repeat(10000)]) {
    assert.ok(cases.includes(c), `missing ${label(c)}`);
  }
});

for (const input of cases) {
  test(`target parsing of ${label(input)} parses or throws a PortscopeError`, async () => {
    await parsesOrRefuses(() => parseTargetSpec(input));
    await parsesOrRefuses(() => splitTargetList(input).map((s) => parseTargetSpec(s)));
    // As a target it never throws: a bad spec is a reported problem and the scan goes on.
    assert.ok((await firstItems([input], [], 5)) >= 1);
    // As an exclusion it may be refused, but only with a PortscopeError.
    await parsesOrRefuses(() => firstItems(['192.0.2.1'], [input], 5));
  });
}

test('the fixture read as an -iL file yields tokens that each expand or report a problem', async () => {
  let tokens = 0;
  for await (const spec of readTargetFile(NAUGHTY_PATH)) {
    tokens++;
    assert.ok(spec.length > 0 && !/\s/.test(spec.replace(/[\u00a0\u2028\ufeff\u200b]/g, '')));
    assert.ok((await firstItems([spec], [], 3)) >= 1);
  }
  assert.ok(tokens > 100);
});

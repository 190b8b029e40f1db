import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoveryPlan } from '../../../src/api/discovery-plan.js';

// nmap(1), "Host Discovery": any -P option replaces the default probes; several combine.
for (const [options, tcp, udp] of [
  [{}, [80, 443], undefined],
  [{ pingPorts: '22' }, [22], undefined],
  [{ pingUdpPorts: '40125' }, [], [40125]],
  [{ pingUdpPorts: '53,161', pingPorts: '22,80' }, [22, 80], [53, 161]],
] as const) {
  test(`${JSON.stringify(options)}: TCP ping ${JSON.stringify(tcp)}, UDP ping ${JSON.stringify(udp)}`, () => {
    const plan = discoveryPlan(options);
    assert.deepEqual([...(plan.tcp ?? [])], tcp);
    assert.deepEqual(plan.ping?.udp ? [...plan.ping.udp.ports] : undefined, udp);
    assert.equal(plan.ping?.echo, undefined);
    assert.match(plan.describe, tcp.length > 0 ? /^TCP connect to / : /^UDP to 40125$/);
  });
}

test('-Pn wins over every ping option: no discovery at all', () => {
  assert.deepEqual(discoveryPlan({ skipDiscovery: true, pingEcho: true, pingUdpPorts: '1' }), { tcp: null, describe: 'none (-Pn)' });
});

test('--dry-run with -PE/-PU sends nothing: the dry connect ping stands in', () => {
  const plan = discoveryPlan({ dryRun: true, pingEcho: true, pingUdpPorts: '1' });
  assert.deepEqual([...plan.tcp!], [80, 443]);
  assert.equal(plan.ping, undefined);
});

for (const [options, message] of [
  [{ pingUdpPorts: '' }, /-PU: empty port specification/],
  [{ pingUdpPorts: '70000' }, /70000/],
  [{ pingEcho: true, proxy: 'socks5://127.0.0.1:1080' }, /cannot go through a SOCKS5 proxy/],
] as const) {
  test(`${JSON.stringify(options)} is refused: ${String(message)}`, () => {
    assert.throws(() => discoveryPlan(options), message);
  });
}

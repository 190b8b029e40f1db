import { test } from 'node:test';
import assert from 'node:assert/strict';
import { host, mixedHost, ports, OPTS, start, summary } from './fixtures.js';
import { schemaValidator } from '../../../src/input/json.js';
import type { HostReport } from '../../../src/model/index.js';
import { jsonFormat } from '../../../src/output/json.js';
import type { JsonScan } from '../../../src/output/json-model.js';
import { expandPorts } from '../../../src/history/readers/expand-ports.js';

// The published schema, checked with ajv (JSON Schema 2020-12), the validator `import`/`diff` use at run time.
const validateScan = schemaValidator('scan');
function validate(doc: unknown): string[] {
  return validateScan(doc) ? [] : (validateScan.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const WILDCARD = host({ address: '192.0.2.9', ports: [...ports(1, 990, 'open', 'syn-ack'), ...ports(991, 1000, 'filtered', 'no-response')], wildcard: { openRatio: 0.99, probed: 1000 } });
const IPV6 = host({ address: '2001:db8::5', family: 6, hostnames: [], srttUs: undefined, ports: [...ports(80, 80, 'open|filtered', 'no-response'), ...ports(81, 90, 'closed', 'conn-refused')] });
const CUT = host({ address: '192.0.2.10', hostnames: [], ports: ports(1, 5, 'closed', 'conn-refused'), complete: false, timedOut: true });
const DOWN = host({ address: '192.0.2.11', hostnames: [], status: 'down', statusReason: 'no-response' });
const HOSTS = [mixedHost(), WILDCARD, IPV6, CUT, DOWN];

/** Writes a scan the way the CLI does: the strings concatenated in event order. */
function stream(hosts: HostReport[], sum = summary(), problemsBetween = true): string {
  const w = jsonFormat(OPTS);
  let out = w.start(start());
  hosts.forEach((h, i) => {
    out += w.host(h);
    if (problemsBetween && i === 0) out += w.targetProblem({ spec: 'nope.invalid', message: 'Failed to resolve "nope.invalid".' });
  });
  return out + w.end(sum);
}

test('the streamed pieces form one valid JSON document that matches the schema', () => {
  for (const text of [stream(HOSTS), stream([]), stream([mixedHost()], summary({ interrupted: true, exitMessage: 'Interrupted by SIGINT' }))]) {
    const doc = JSON.parse(text) as JsonScan;
    assert.deepEqual(validate(doc), []);
    assert.equal(doc.scanner, 'portscope');
    assert.equal(doc.formatVersion, 1);
  }
});

test('every port of every host is recoverable with expandPorts', () => {
  const doc = JSON.parse(stream(HOSTS)) as JsonScan;
  assert.equal(doc.hosts.length, HOSTS.length, 'down hosts are included too');
  for (const h of HOSTS) {
    const jh = doc.hosts.find((x) => x.address === h.address)!;
    assert.deepEqual(
      expandPorts(jh),
      h.ports.map((p) => ({ port: p.port, protocol: p.protocol, state: p.state, reason: p.reason })),
      h.address,
    );
  }
});

test('ports lists what may be open; closed and filtered ports are grouped in extraports', () => {
  const doc = JSON.parse(stream(HOSTS)) as JsonScan;
  const mixed = doc.hosts[0]!;
  assert.deepEqual(
    mixed.ports.map((p) => [p.port, p.state, p.service?.name]),
    [[22, 'open', 'ssh']],
  );
  assert.deepEqual(mixed.extraports, [
    { state: 'closed', protocol: 'tcp', reason: 'conn-refused', count: 921, ports: '1-21,23-99,141-199,206-299,331-1000' },
    { state: 'filtered', protocol: 'tcp', reason: 'no-response', count: 41, ports: '100-140' },
    { state: 'filtered', protocol: 'tcp', reason: 'host-unreach', count: 37, ports: '200-205,300-330' },
  ]);
  const v6 = doc.hosts.find((h) => h.address === '2001:db8::5')!;
  assert.equal(v6.family, 6);
  assert.deepEqual(v6.hostnames, []);
  assert.deepEqual(
    v6.ports.map((p) => p.state),
    ['open|filtered'],
  );
});

test('wildcard hosts are flagged and their open ports folded into one range', () => {
  const doc = JSON.parse(stream(HOSTS)) as JsonScan;
  const w = doc.hosts.find((h) => h.address === '192.0.2.9')!;
  assert.deepEqual(w.wildcard, { open: 990, probed: 1000, openRatio: 0.99 });
  assert.deepEqual(w.ports, []);
  assert.deepEqual(w.extraports[0], { state: 'open', protocol: 'tcp', reason: 'syn-ack', count: 990, ports: '1-990' });
});

test('cut-short hosts say so; the summary records the interruption', () => {
  const doc = JSON.parse(stream(HOSTS, summary({ interrupted: true, exitMessage: 'Interrupted by SIGTERM' }))) as JsonScan;
  const cut = doc.hosts.find((h) => h.address === '192.0.2.10')!;
  assert.equal(cut.complete, false);
  assert.equal(cut.timedOut, true);
  assert.equal(doc.summary.exit, 'error');
  assert.equal(doc.summary.interrupted, true);
  assert.equal(doc.summary.exitMessage, 'Interrupted by SIGTERM');
  assert.equal(doc.summary.elapsedSeconds, 1.23);
  assert.equal(doc.summary.start, '2026-11-25T16:57:32.000Z');
});

test('target problems reported between hosts end up in targetProblems', () => {
  const doc = JSON.parse(stream(HOSTS)) as JsonScan;
  assert.deepEqual(doc.targetProblems, [{ spec: 'nope.invalid', message: 'Failed to resolve "nope.invalid".' }]);
  const fromSummary = JSON.parse(stream([], summary({ targetProblems: [{ spec: 'x', message: 'bad' }] }), false)) as JsonScan;
  assert.deepEqual(fromSummary.targetProblems, [{ spec: 'x', message: 'bad' }]);
});

test('each host is written as one line, so a partial file shows whole hosts', () => {
  const w = jsonFormat(OPTS);
  w.start(start());
  const first = w.host(mixedHost());
  const second = w.host(IPV6);
  assert.ok(!first.includes('\n'));
  assert.ok(second.startsWith(',\n') && !second.slice(2).includes('\n'));
});

test('the schema checker notices a broken document', () => {
  const doc = JSON.parse(stream([mixedHost()])) as Record<string, unknown> & { hosts: Record<string, unknown>[] };
  delete doc.hosts[0]!.extraports;
  (doc.hosts[0]!.ports as Record<string, unknown>[])[0]!.state = 'opened';
  const errors = validate(doc);
  assert.ok(
    errors.some((e) => e.includes('required') && e.includes('extraports')),
    errors.join('\n'),
  );
  delete (doc.hosts[0] as Record<string, unknown>).extraports;
  (doc.hosts[0] as Record<string, unknown>).extraports = [];
  const more = validate(doc);
  assert.ok(
    more.some((e) => e.includes('/hosts/0/ports/0/state enum')),
    more.join('\n'),
  );
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../../../../src/model/index.js';
import { parseScanDocument } from '../../../../src/history/readers/index.js';
import { jsonErrorOffset } from '../../../../src/input/json-position.js';

const read = (name: string): string => readFileSync(fileURLToPath(new URL(`../../../../../test/fixtures/history/${name}`, import.meta.url)), 'utf8');

test('nmap XML: listed ports keep their services and folded ports come back from extrareasons', () => {
  const rec = parseScanDocument(read('a-versions.xml'), 'a.xml');
  assert.deepEqual([rec.scanner, rec.startedAt, rec.endedAt, rec.hosts.length, rec.interrupted], ['nmap', 1_764_000_000_000, 1_764_000_010_000, 3, false]);
  const web = rec.hosts[0]!;
  assert.deepEqual([web.address, web.hostname, web.ports.length], ['192.0.2.10', 'web.example', 1000]);
  assert.deepEqual(web.ports.find((p) => p.port === 22)?.service, { name: 'ssh', product: 'OpenSSH', version: '9.2p1 Debian 2', extrainfo: 'protocol 2.0', method: 'probed', conf: 10 });
  assert.deepEqual(
    web.ports.find((p) => p.port === 21),
    { protocol: 'tcp', port: 21, state: 'closed', reason: 'conn-refused' },
  );
  assert.ok(rec.hosts[2]!.ports.every((p) => p.state === 'filtered'));
});

test('a truncated XML file is a ParseError naming the file and the line:column where it stops', () => {
  const text = read('truncated.xml');
  const lines = text.split('\n');
  const where = `${lines.length}:${lines[lines.length - 1]!.length + 1}`;
  assert.throws(
    () => parseScanDocument(text, 'truncated.xml'),
    (e: unknown) => e instanceof ParseError && e.message.startsWith(`truncated.xml:${where}: truncated XML`),
  );
});

test('malformed XML names the line:column of the first error', () => {
  const text = read('a-versions.xml').replace('<ports><extraports state="filtered"', '<ports><bogus><extraports state="filtered"');
  assert.throws(
    () => parseScanDocument(text, 'bad.xml'),
    (e: unknown) => e instanceof ParseError && /^bad\.xml:\d+:\d+: invalid XML: /.test(e.message),
  );
});

test('XML without <nmaprun> and empty files are refused with the file name', () => {
  assert.throws(() => parseScanDocument('<?xml version="1.0"?>\n<other/>', 'o.xml'), /o\.xml:1:1: not an nmap XML file/);
  assert.throws(() => parseScanDocument('  \n', 'e.xml'), /e\.xml: empty file/);
});

const T0 = '2026-01-01T00:00:00.000Z';

/** A portscope JSON scan valid against docs/schema/scan.schema.json. */
function validDoc(): Record<string, unknown> {
  return {
    scanner: 'portscope',
    formatVersion: 1,
    version: '0.1.0',
    args: 'portscope scan x',
    start: '2026-01-01T00:00:00.000Z',
    scaninfo: [],
    verbose: 0,
    hosts: [
      {
        address: '192.0.2.5',
        family: 4,
        hostnames: [],
        status: 'up',
        reason: 'user-set',
        start: T0,
        end: T0,
        complete: true,
        timedOut: false,
        ports: [{ port: 22, protocol: 'tcp', state: 'open', reason: 'syn-ack', tries: 1, service: { name: 'ssh', method: 'table', conf: 3 } }],
        extraports: [{ state: 'closed', protocol: 'tcp', reason: 'conn-refused', count: 2, ports: '20-21' }],
        stats: { probesSent: 3, lateAnswers: 0, lossEstimate: 0, retriesUsed: 0, retryCapHit: 0, timeoutMs: 1000 },
      },
    ],
    targetProblems: [],
    summary: { start: T0, end: '2026-01-01T00:00:01.000Z', elapsedSeconds: 1, hostsTotal: 1, hostsUp: 1, hostsDown: 0, probesSent: 3, exit: 'success', interrupted: false },
  };
}

test('portscope JSON: ports and extraports become every port; bad JSON names line:column', () => {
  const doc = validDoc();
  const rec = parseScanDocument(JSON.stringify(doc), 's.json');
  assert.deepEqual(
    rec.hosts[0]!.ports.map((p) => `${p.port}/${p.state}/${p.service?.name ?? ''}`),
    ['20/closed/', '21/closed/', '22/open/ssh'],
  );
  assert.throws(() => parseScanDocument('{"scanner":"portscope",\n"hosts":[}', 'b.json'), /^ParseError: b\.json:2:10: invalid JSON: unexpected "}"/);
  assert.throws(() => parseScanDocument('{"scanner":"portscope","hosts":[', 't.json'), /t\.json:1:33: invalid JSON: the file ends early \(truncated\?\)/);
});

test('jsonErrorOffset finds the first bad character of JSON texts', () => {
  const cases: [string, number][] = [
    ['{"a":1,}', 7],
    ['[1,2', 4],
    ['{"a" 1}', 5],
    ['"abc', 4],
    ['[1] x', 4],
    ['nul', 0],
    ['{"a":[true,false,null,-1.5e3]}', 30],
  ];
  for (const [text, at] of cases) assert.equal(jsonErrorOffset(text), at, text);
});

test('portscope JSON of the wrong shape is refused with the JSON path (ajv, docs/schema/scan.schema.json)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the cases build documents of the wrong shape on purpose
  const cases: [string, (d: any) => void, RegExp][] = [
    ['a null host', (d) => (d.hosts = [null]), /^w\.json: not a valid portscope JSON scan .*: hosts\[0\]: must be object$/],
    ['a host without ports', (d) => delete d.hosts[0].ports, /hosts\[0\]: required field "ports" missing/],
    ['port 99999999', (d) => (d.hosts[0].ports[0].port = 99999999), /hosts\[0\]\.ports\[0\]\.port: must be <= 65535/],
    ['a state nmap does not know', (d) => (d.hosts[0].ports[0].state = 'ajar'), /hosts\[0\]\.ports\[0\]\.state: must be one of "open"/],
    ['a bad range list', (d) => (d.hosts[0].extraports[0].ports = '1-2-3'), /hosts\[0\]\.extraports\[0\]\.ports: must match pattern/],
  ];
  for (const [what, mutate, expected] of cases) {
    const d = validDoc();
    mutate(d);
    assert.throws(
      () => parseScanDocument(JSON.stringify(d), 'w.json'),
      (e: unknown) => e instanceof ParseError && expected.test(e.message),
      what,
    );
  }
});

test('XML with a DOCTYPE declaring entities, external DTDs, ENTITY or deep nesting is refused with line:column', () => {
  const head = '<?xml version="1.0"?>\n';
  const cases: [string, string, RegExp][] = [
    ['XXE', `${head}<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<nmaprun>&x;</nmaprun>`, /^x\.xml:2:1: XML with a DOCTYPE that declares entities/],
    ['external DTD', `${head}<!DOCTYPE nmaprun SYSTEM "http://192.0.2.1/x.dtd">\n<nmaprun/>`, /^x\.xml:2:1: XML with a DOCTYPE/],
    ['parameter entities', `${head}<!DOCTYPE r [<!ENTITY % p "<!ENTITY e 'x'>"> %p;]>\n<nmaprun/>`, /^x\.xml:2:1: XML with a DOCTYPE/],
    ['a stray ENTITY', `${head}<nmaprun><!ENTITY e "x"></nmaprun>`, /^x\.xml:2:10: XML entity declarations are refused/],
    ['200k nested tags', `${head}<nmaprun>${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</nmaprun>`, /^x\.xml:2:\d+: XML nested deeper than 100 elements/],
    ['port 99999999', read('a-versions.xml').replace(/portid="\d+"/, 'portid="99999999"'), /^x\.xml: host [\d.]+: <port portid="99999999"> is not a port number 0-65535/],
  ];
  for (const [what, text, expected] of cases) {
    assert.throws(
      () => parseScanDocument(text, 'x.xml'),
      (e: unknown) => e instanceof ParseError && expected.test(e.message),
      what,
    );
  }
});

test("nmap's bare <!DOCTYPE nmaprun> is read, and character references are decoded", () => {
  const text = read('a-versions.xml');
  assert.match(text, /<!DOCTYPE nmaprun>/);
  assert.ok(parseScanDocument(text, 'a.xml').hosts.length > 0);
  const withRef = text.replace(/<hostname name="[^"]*"/, '<hostname name="a&#10;b&amp;c&#x1b;"');
  const host = parseScanDocument(withRef, 'a.xml').hosts.find((h) => h.hostname?.startsWith('a'));
  assert.equal(host?.hostname, 'a\nb&c\x1b');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { host, mixedHost, ports, render, OPTS, start } from './fixtures.js';
import { dtdErrors, libnmapRead, ndiff, requireTool, toolTest, tools } from './xml-tools.js';
import type { HostReport, PortResult } from '../../../src/model/index.js';
import type { OutputOptions } from '../../../src/output/types.js';
import { parsePortRanges } from '../../../src/output/port-ranges.js';
import { xmlFormat } from '../../../src/output/xml.js';

const ARRAYS = new Set(['host', 'port', 'extraports', 'extrareasons', 'hostname', 'address', 'scaninfo']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, isArray: (name) => ARRAYS.has(name) });

// biome-ignore lint/suspicious/noExplicitAny: XML parsed without a schema, walked by the assertions
type Any = any;

/** Every (port, state, reason) of one parsed <host>, listed or folded, sorted by port. */
function recoverPorts(xh: Any): [number, string, string][] {
  const out: [number, string, string][] = [];
  const p = xh.ports ?? {};
  for (const port of p.port ?? []) out.push([Number(port.portid), port.state.state, port.state.reason]);
  for (const ex of p.extraports ?? []) {
    let n = 0;
    for (const r of ex.extrareasons ?? []) {
      const list = parsePortRanges(r.ports);
      assert.equal(list.length, Number(r.count), 'extrareasons count matches its ports');
      n += list.length;
      for (const port of list) out.push([port, ex.state, r.reason]);
    }
    assert.equal(n, Number(ex.count), 'extraports count matches its reasons');
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const expected = (h: HostReport): [number, string, string][] => h.ports.map((p: PortResult) => [p.port, p.state, p.reason]);

const IPV6 = host({ address: '2001:db8::5', family: 6, hostnames: [], srttUs: undefined, ports: [...ports(1, 500, 'filtered', 'no-response'), ...ports(501, 1000, 'closed', 'conn-refused')] });
const WILDCARD = host({
  address: '192.0.2.9',
  hostnames: [{ name: 'cdn.example', type: 'user' }],
  ports: [...ports(1, 990, 'open', 'syn-ack'), ...ports(991, 1000, 'filtered', 'admin-prohibited')],
  wildcard: { openRatio: 0.99, probed: 1000 },
});
const TIMED_OUT = host({ address: '192.0.2.10', hostnames: [], ports: [...ports(1, 300, 'closed', 'conn-refused'), ...ports(301, 302, 'open', 'syn-ack', 'x')], complete: false, timedOut: true });
const DOWN = host({ address: '192.0.2.11', hostnames: [], status: 'down', statusReason: 'no-response', ports: [] });
const ALL_HOSTS = [mixedHost(), IPV6, WILDCARD, TIMED_OUT, DOWN];

function doc(opts: Partial<OutputOptions> = {}, hosts = ALL_HOSTS, sum = {}): string {
  return render(xmlFormat, hosts, opts, sum);
}

test('the header follows nmap 7.93, naming portscope in the comment, args and version', () => {
  const lines = doc().split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE nmaprun>',
    '<!-- portscope 0.1.0 scan initiated Wed Nov 25 16:57:32 2026 as: portscope scan -p 1-1000 localhost -->',
    '<nmaprun scanner="nmap" args="portscope scan -p 1-1000 localhost" start="1795625852" startstr="Wed Nov 25 16:57:32 2026" version="0.1.0" xmloutputversion="1.05">',
  ]);
  assert.equal(lines[4], '<scaninfo type="connect" protocol="tcp" numservices="1000" services="1-1000"/>');
});

test("a host is written in nmap's element order and line layout", () => {
  const h = host({ ports: [...ports(1, 1000, 'closed', 'conn-refused'), ...ports(8765, 8765, 'open', 'syn-ack', 'ultraseek-http')] });
  const out = xmlFormat(OPTS).host(h);
  assert.equal(
    out,
    [
      '<host starttime="1795625852" endtime="1795625853"><status state="up" reason="user-set" reason_ttl="0"/>',
      '<address addr="127.0.0.1" addrtype="ipv4"/>',
      '<hostnames>',
      '<hostname name="localhost" type="user"/>',
      '</hostnames>',
      '<ports><extraports state="closed" count="1000">',
      '<extrareasons reason="conn-refused" count="1000" proto="tcp" ports="1-1000"/>',
      '</extraports>',
      '<port protocol="tcp" portid="8765"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ultraseek-http" method="table" conf="3"/></port>',
      '</ports>',
      '</host>',
      '',
    ].join('\n'),
  );
});

for (const opts of [{}, { verbose: 1 }, { verbose: 3 }, { openOnly: true }, { reason: true }] as Partial<OutputOptions>[]) {
  test(`every port of every up host is recoverable from the XML (${JSON.stringify(opts)})`, () => {
    const parsed = parser.parse(doc(opts)) as Any;
    const hosts = parsed.nmaprun.host as Any[];
    for (const h of ALL_HOSTS.filter((x) => x.status === 'up')) {
      const xh = hosts.find((x) => x.address[0].addr === h.address);
      assert.ok(xh, `host ${h.address} present`);
      assert.deepEqual(recoverPorts(xh), expected(h), h.address);
    }
  });
}

test('down hosts are written only with -v, as nmap does', () => {
  const addrs = (o: Partial<OutputOptions>): string[] => ((parser.parse(doc(o)) as Any).nmaprun.host as Any[]).map((h) => h.address[0].addr);
  assert.ok(!addrs({}).includes('192.0.2.11'));
  assert.ok(addrs({ verbose: 1 }).includes('192.0.2.11'));
});

test('wildcard and cut-short hosts carry a comment; a timed-out host timedout="true"', () => {
  const hosts = (parser.parse(doc()) as Any).nmaprun.host as Any[];
  const wild = hosts.find((h) => h.address[0].addr === '192.0.2.9');
  assert.match(wild.comment, /^wildcard host: 990 of 1000 probed ports answered open/);
  assert.equal(wild.ports.port.length, 10, 'open ports folded, filtered listed');
  const cut = hosts.find((h) => h.address[0].addr === '192.0.2.10');
  assert.equal(cut.timedout, 'true');
  assert.equal(cut.comment, 'incomplete (host timeout): 698 of 1000 ports not scanned');
  assert.equal(hosts.find((h) => h.address[0].addr === '2001:db8::5').address[0].addrtype, 'ipv6');
});

test('an interrupted scan still closes the document, with exit="error" and the message', () => {
  const out = doc({}, [mixedHost()], { interrupted: true, exitMessage: 'Interrupted by SIGINT' });
  assert.ok(out.endsWith('</nmaprun>\n'));
  const fin = (parser.parse(out) as Any).nmaprun.runstats.finished;
  assert.equal(fin.exit, 'error');
  assert.equal(fin.errormsg, 'Interrupted by SIGINT');
  const ok = (parser.parse(doc()) as Any).nmaprun.runstats;
  assert.equal(ok.finished.exit, 'success');
  assert.equal(ok.finished.summary, 'portscope done at Wed Nov 25 16:57:33 2026; 1 IP address (1 host up) scanned in 1.23 seconds');
  assert.deepEqual({ ...ok.hosts }, { up: '1', down: '0', total: '1' });
});

test('hostile names and arguments are escaped and comments never contain "--"', () => {
  const evil = host({ hostnames: [{ name: 'a"b<c>&d\u0001e', type: 'PTR' }], ports: ports(22, 22, 'open', 'syn-ack') });
  const w = xmlFormat(OPTS);
  const out = w.start(start({ args: 'portscope scan --reason --- "x" <y>' })) + w.targetProblem({ spec: 'a--b', message: 'Failed to resolve "a--b".' }) + w.host(evil) + w.end({ ...summaryDefaults() });
  const comments = out.match(/<!--([\s\S]*?)-->/g) ?? [];
  assert.equal(comments.length, 2);
  for (const c of comments) assert.ok(!c.slice(4, -3).includes('--'), c);
  const parsed = parser.parse(out) as Any;
  assert.equal(parsed.nmaprun.args, 'portscope scan --reason --- "x" <y>');
  assert.equal(parsed.nmaprun.host[0].hostnames.hostname[0].name, 'a"b<c>&d\\x01e');
});

function summaryDefaults() {
  return { startTime: 0, endTime: 0, elapsedMs: 0, hostsTotal: 1, hostsUp: 1, hostsDown: 0, probesSent: 0, interrupted: false, targetProblems: [] };
}

test('the documents validate against nmap.dtd', toolTest(tools.xmllint), () => {
  requireTool(tools.xmllint);
  const evil = host({ hostnames: [{ name: 'x\u0001"<&', type: 'PTR' }], ports: ports(22, 22, 'open', 'syn-ack') });
  const docs = [
    doc(),
    doc({ verbose: 2, reason: true }),
    doc({}, [], { hostsTotal: 0, hostsUp: 0 }),
    doc({}, [mixedHost(), evil], { interrupted: true, exitMessage: 'Interrupted by SIGTERM' }),
    render(xmlFormat, [host({ ports: ports(1, 3, 'open', 'syn-ack').map((p) => ({ ...p, service: { name: 'http', method: 'probed', conf: 10, product: 'nginx', version: '1.2', tunnel: 'ssl', cpe: ['cpe:/a:nginx:nginx:1.2'] } })) })]),
  ];
  for (const d of docs) assert.equal(dtdErrors(d), '', d.slice(0, 400));
});

test('ndiff reads the XML and reports a changed port', toolTest(tools.ndiff), () => {
  requireTool(tools.ndiff);
  const before = doc({}, [mixedHost()]);
  const same = ndiff(before, before);
  assert.equal(same.status, 0, same.out);
  const changed = mixedHost({ ports: mixedHost().ports.map((p) => (p.port === 23 ? { ...p, state: 'open' as const, reason: 'syn-ack' as const } : p)) });
  const diff = ndiff(before, doc({}, [changed]));
  assert.equal(diff.status, 1, diff.out);
  assert.match(diff.out, /\+23\/tcp\s+open/);
});

test('python-libnmap reads hosts and open ports from the XML', toolTest(tools.libnmap), () => {
  requireTool(tools.libnmap);
  const hosts = libnmapRead(doc({ verbose: 1 }));
  const byAddr = new Map(hosts.map((h) => [h.address, h]));
  assert.deepEqual(byAddr.get('127.0.0.1')?.open, [22]);
  assert.deepEqual(byAddr.get('192.0.2.10')?.open, [301, 302]);
  assert.equal(byAddr.get('192.0.2.11')?.status, 'down');
  assert.equal(hosts.length, 5);
});

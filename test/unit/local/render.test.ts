import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { ListeningSocket } from '../../../src/model/index.js';
import { renderListeningJson } from '../../../src/output/listening-json.js';
import { renderListeningTable } from '../../../src/output/listening-table.js';
import { renderListeningXml } from '../../../src/output/listening-xml.js';
import { xmlAttr } from '../../../src/output/xml-escape.js';

// Renderers of src/output/listening-*.ts (tested here with the rest of the listening feature).
const sockets: ListeningSocket[] = [
  {
    protocol: 'tcp',
    family: 6,
    address: '::',
    port: 22,
    exposure: 'all-interfaces',
    dualStack: true,
    service: 'ssh',
    owner: 'root',
    ownerKnown: true,
    inode: 11,
    state: 'LISTEN',
    socketUid: 0,
    processes: [{ pid: 100, name: 'sshd', command: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', user: 'root', uid: 0 }],
  },
  {
    protocol: 'tcp',
    family: 4,
    address: '192.0.2.10',
    port: 8080,
    exposure: 'interface',
    interface: 'dummy0',
    owner: 'nobody',
    ownerKnown: true,
    inode: 12,
    state: 'LISTEN',
    processes: [
      { pid: 200, name: 'py<thon>', command: 'python3 -c "a & b"\u0001', user: 'nobody', uid: 65534 },
      { pid: 201, name: 'python3', command: 'python3', user: 'nobody', uid: 65534 },
    ],
  },
  { protocol: 'udp', family: 4, address: '127.0.0.1', port: 5353, exposure: 'loopback', owner: 'unknown (needs root)', ownerKnown: false, inode: 13, state: 'UNCONN', processes: [] },
];
const meta = { version: '0.1.0', generatedAt: '2026-01-01T00:00:00.000Z', hostname: 'lab', netns: 'ns1' };

test('JSON: header fields, sockets in order, optional fields absent rather than null', () => {
  const doc = JSON.parse(renderListeningJson(sockets, meta));
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.netns, 'ns1');
  assert.equal(doc.sockets.length, 3);
  assert.deepEqual(Object.keys(doc.sockets[0]), ['protocol', 'family', 'address', 'port', 'state', 'exposure', 'dualStack', 'service', 'owner', 'ownerKnown', 'processes', 'inode', 'socketUid']);
  assert.equal('dualStack' in doc.sockets[1], false);
  assert.equal(doc.sockets[1].interface, 'dummy0');
  assert.deepEqual(doc.sockets[2].processes, []);
});

test('XML: well-formed, escaped, one process element per holder', () => {
  const xml = renderListeningXml(sockets, meta);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'socket' || n === 'process' }).parse(xml);
  const list = doc.listening.socket;
  assert.equal(list.length, 3);
  assert.equal(list[0].dualstack, 'true');
  assert.equal(list[1].process.length, 2);
  assert.equal(list[1].process[0].name, 'py<thon>');
  assert.equal(list[1].process[0].command, 'python3 -c "a & b"\\x01');
  assert.equal(list[2].process, undefined);
  assert.equal(xmlAttr('a\nb'), 'a&#10;b');
});

test('table: grouped widest exposure first, shared sockets list every pid, no colour unless asked', () => {
  const text = renderListeningTable(sockets, { color: false, verbose: false });
  const all = text.indexOf('All interfaces');
  const one = text.indexOf('One address');
  const lo = text.indexOf('Loopback only');
  assert.ok(all >= 0 && all < one && one < lo, text);
  assert.match(text, /tcp6 +:: \(\+IPv4\) +22 +ssh +100\/sshd +root/);
  assert.match(text, /200\/py<thon>,201\/python3/);
  assert.match(text, /udp +127\.0\.0\.1 +5353 +- +- +unknown \(needs root\)/);
  assert.equal(text.includes('\x1b['), false);
  assert.ok(renderListeningTable(sockets, { color: true, verbose: true }).includes('\x1b[1;31m'));
  assert.equal(renderListeningTable([], { color: false, verbose: false }), 'No listening sockets.\n');
});

/** Checks an object against one object definition of docs/schema/listening.schema.json (required, allowed keys, enum, const). */
function conforms(value: Record<string, unknown>, def: { required: string[]; properties: Record<string, { enum?: unknown[]; const?: unknown }> }, where: string): void {
  for (const key of def.required) assert.ok(key in value, `${where}: missing ${key}`);
  for (const [key, v] of Object.entries(value)) {
    const prop = def.properties[key];
    assert.ok(prop, `${where}: ${key} is not in the schema`);
    if (prop.enum) assert.ok(prop.enum.includes(v), `${where}: ${key}=${String(v)} not in ${prop.enum.join('|')}`);
    if ('const' in prop) assert.equal(v, prop.const, `${where}: ${key}`);
  }
}

test('JSON output conforms to docs/schema/listening.schema.json', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../../docs/schema/listening.schema.json', import.meta.url), 'utf8'));
  const doc = JSON.parse(renderListeningJson(sockets, meta));
  conforms(doc, schema, 'document');
  for (const s of doc.sockets) {
    conforms(s, schema.$defs.socket, `${s.address}:${s.port}`);
    for (const p of s.processes) conforms(p, schema.$defs.process, `pid ${p.pid}`);
  }
});

test('JSON strings with quotes, backslashes, control characters and lone surrogates round-trip', () => {
  const nasty = 'a "b" \\c\nd\u0001e\ud800f\u2028 ünï';
  const s: ListeningSocket = { ...sockets[1]!, processes: [{ pid: 1, name: nasty, command: nasty, user: nasty, uid: 0 }] };
  const doc = JSON.parse(renderListeningJson([s], meta));
  assert.deepEqual(doc.sockets[0].processes[0], { pid: 1, name: nasty, command: nasty, user: nasty, uid: 0 });
  assert.equal(JSON.parse(renderListeningJson([], meta)).sockets.length, 0);
});

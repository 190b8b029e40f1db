import assert from 'node:assert/strict';
import { test } from 'node:test';
import { children, int, octets, oid, readTlv, seq, tlv } from '../../../../src/probes/udp/ber.js';
import { encodeName, parseReply } from '../../../../src/probes/udp/dns-wire.js';
import { PAYLOADS, datagramFor, identifyReply, payloadFor } from '../../../../src/probes/udp/index.js';

test('every payload builds a datagram that fits in one UDP packet', () => {
  for (const p of PAYLOADS) {
    const b = p.build();
    assert.ok(Buffer.isBuffer(b), p.name);
    assert.ok(b.length <= 1200, `${p.name}: ${b.length} bytes`);
    if (!p.silent) assert.ok(b.length > 0, `${p.name} sends something`);
  }
});

test('unknown ports get an empty datagram, known ports their protocol probe', () => {
  assert.equal(datagramFor(40000).length, 0);
  assert.equal(payloadFor(53)?.name, 'domain');
  assert.equal(payloadFor(161)?.name, 'snmp');
  assert.equal(payloadFor(123)?.name, 'ntp');
});

test('the DNS probe asks version.bind in class CHAOS', () => {
  const q = datagramFor(53);
  assert.ok(q.includes(encodeName('version.bind')));
  assert.equal(q.readUInt16BE(q.length - 2), 3);
});

/** A DNS reply to our own query with one TXT answer (RFC 1035 4.1), name compressed to the question. */
function dnsTxtReply(query: Buffer, text: string): Buffer {
  const r = Buffer.from(query);
  r[2] = 0x84;
  r.writeUInt16BE(1, 6);
  const data = Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'latin1')]);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(16, 2);
  rr.writeUInt16BE(3, 4);
  rr.writeUInt16BE(data.length, 10);
  return Buffer.concat([r, rr, data]);
}

test('a version.bind answer names the DNS server product and version', () => {
  assert.deepEqual(identifyReply(53, dnsTxtReply(datagramFor(53), 'dnsmasq-2.90')), { name: 'domain', product: 'dnsmasq', version: '2.90' });
  assert.equal(parseReply(datagramFor(53)), undefined, 'a query is not a reply');
});

test('an NTP server reply (mode 4) is recognised with its stratum', () => {
  const r = Buffer.alloc(48);
  r[0] = (4 << 3) | 4;
  r[1] = 2;
  assert.deepEqual(identifyReply(123, r), { name: 'ntp', version: 'v4', extrainfo: 'stratum 2' });
  assert.equal(identifyReply(123, datagramFor(123)), undefined, 'our own client packet is not a server reply');
});

test('an SNMP GetResponse yields sysDescr', () => {
  const vb = seq(seq(oid('1.3.6.1.2.1.1.1.0'), octets('Linux lab 6.1')));
  const resp = seq(int(1), octets('public'), tlv(0xa2, Buffer.concat([int(0x5053), int(0), int(0), vb])));
  assert.deepEqual(identifyReply(161, resp), { name: 'snmp', product: 'SNMPv2c', extrainfo: 'Linux lab 6.1' });
  const req = readTlv(datagramFor(161), 0)!;
  assert.equal(children(req.value)[2]!.tag, 0xa0, 'the probe is a GetRequest');
});

test('text protocols are named from their status line and server header', () => {
  assert.deepEqual(identifyReply(1900, Buffer.from('HTTP/1.1 200 OK\r\nSERVER: Linux/6 UPnP/1.0 MiniUPnPd/2.3\r\n\r\n')), { name: 'upnp', product: 'Linux/6 UPnP/1.0 MiniUPnPd/2.3' });
  assert.deepEqual(identifyReply(5060, Buffer.from('SIP/2.0 200 OK\r\nServer: Asterisk PBX 18.0\r\n\r\n')), { name: 'sip', product: 'Asterisk PBX', version: '18.0' });
});

test('memcached and STUN replies carry product and version', () => {
  const mc = Buffer.concat([Buffer.from([0x50, 0x53, 0, 0, 0, 1, 0, 0]), Buffer.from('VERSION 1.6.18\r\n')]);
  assert.deepEqual(identifyReply(11211, mc), { name: 'memcache', product: 'memcached', version: '1.6.18' });
  const sw = Buffer.from('coturn-4.6.1');
  const attr = Buffer.concat([Buffer.from([0x80, 0x22, 0, sw.length]), sw]);
  const stun = Buffer.concat([Buffer.from([1, 1, 0, attr.length, 0x21, 0x12, 0xa4, 0x42]), Buffer.alloc(12), attr]);
  assert.deepEqual(identifyReply(3478, stun), { name: 'stun', product: 'coturn', version: '4.6.1' });
});

test('a reply that does not parse identifies nothing (the port is still open: it answered)', () => {
  assert.equal(identifyReply(53, Buffer.from('garbage')), undefined);
  assert.equal(identifyReply(40000, Buffer.from('anything')), undefined);
});

test("retries rotate through a protocol's alternates: SNMPv3 discovery, root NS, NTP mode 6", () => {
  assert.notDeepEqual(datagramFor(161, 1), datagramFor(161, 0));
  assert.deepEqual(datagramFor(161, 2), datagramFor(161, 0));
  const v3 = children(readTlv(datagramFor(161, 1), 0)!.value);
  assert.equal(v3[0]!.value[0], 3, 'msgVersion 3');
  assert.equal(datagramFor(53, 1).readUInt16BE(datagramFor(53, 1).length - 4), 2, 'root NS query');
  assert.equal(datagramFor(123, 1)[0]! & 7, 6, 'NTP mode 6');
  assert.equal(datagramFor(40000, 3).length, 0);
});

test('an SNMPv3 Report names Net-SNMP from its engine ID enterprise number', () => {
  const engineId = Buffer.from([0x80, 0x00, 0x1f, 0x88, 0x80, 1, 2, 3]); // 8072 with the RFC 3411 high bit
  const usm = octets(seq(octets(engineId), int(1), int(2), octets(''), octets(''), octets('')));
  const report = seq(int(3), seq(int(1), int(65507), octets(Buffer.from([0])), int(3)), usm, seq(octets(engineId), octets(''), tlv(0xa8, Buffer.alloc(0))));
  assert.deepEqual(identifyReply(161, report), { name: 'snmp', product: 'Net-SNMP', extrainfo: 'SNMPv3' });
});

test('an NTP mode 6 READVAR answer yields the daemon and version', () => {
  const text = Buffer.from('version="ntpd 4.2.8p15@1.3728-o", processor="x86_64"', 'latin1');
  const r = Buffer.concat([Buffer.from([0x16, 0x82, 0, 1, 0, 0, 0, 0, 0, 0, 0, text.length]), text]);
  assert.deepEqual(identifyReply(123, r), { name: 'ntp', product: 'ntpd', version: '4.2.8p15' });
});

import { splitProductVersion, type UdpPayload } from '../payload.js';

// Payloads that fit in a few lines each; protocols with more structure have their own file.

/** Syslog (RFC 5424 / RFC 3164): a message, which a collector never answers. */
export const syslog: UdpPayload = {
  name: 'syslog',
  ports: [514],
  silent: true,
  build: () => Buffer.from('<14>1 - - portscope - - - probe', 'latin1'),
};

/** WireGuard: silent by design to anything not authenticated (WireGuard whitepaper section 5.1). */
export const wireguard: UdpPayload = { name: 'wireguard', ports: [51820], silent: true, build: () => Buffer.alloc(0) };

/**
 * TFTP (RFC 1350 section 4): a read request. The server answers from a new port (its transfer ID), which a
 * connected socket does not receive; the probe can still draw an ICMP port-unreachable from a closed port.
 */
export const tftp: UdpPayload = {
  name: 'tftp',
  ports: [69],
  build: () => Buffer.concat([Buffer.from([0, 1]), Buffer.from('portscope-probe\0octet\0', 'latin1')]),
  parse: (r) => (r.length >= 4 && r[0] === 0 && r[1]! >= 3 && r[1]! <= 5 ? { name: 'tftp' } : undefined),
};

/** memcached UDP (protocol.txt "UDP protocol"): the 8-byte frame header, then the ASCII `version` command. */
export const memcached: UdpPayload = {
  name: 'memcache',
  ports: [11211],
  build: () => Buffer.concat([Buffer.from([0x50, 0x53, 0, 0, 0, 1, 0, 0]), Buffer.from('version\r\n', 'latin1')]),
  parse(r) {
    const m = /^VERSION (\S+)/.exec(r.subarray(8).toString('latin1'));
    return m ? { name: 'memcache', product: 'memcached', version: m[1]! } : undefined;
  },
};

/** CoAP (RFC 7252 sections 3 and 7.2): a confirmable GET /.well-known/core. */
export const coap: UdpPayload = {
  name: 'coap',
  ports: [5683],
  build: () => Buffer.concat([Buffer.from([0x40, 0x01, 0x50, 0x53, 0xbb]), Buffer.from('.well-known', 'latin1'), Buffer.from([0x04]), Buffer.from('core', 'latin1')]),
  parse: (r) => (r.length >= 4 && r[0]! >> 6 === 1 ? { name: 'coap' } : undefined),
};

/** STUN (RFC 8489 section 5): a Binding request with the magic cookie; SOFTWARE (0x8022) names the server. */
export const stun: UdpPayload = {
  name: 'stun',
  ports: [3478],
  build: () => Buffer.concat([Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]), Buffer.from('portscope-id', 'latin1')]),
  parse(r) {
    if (r.length < 20 || r.readUInt32BE(4) !== 0x2112a442 || (r.readUInt16BE(0) & 0x0110) !== 0x0100) return undefined;
    for (let off = 20; off + 4 <= r.length; ) {
      const type = r.readUInt16BE(off);
      const len = r.readUInt16BE(off + 2);
      if (type === 0x8022) return { name: 'stun', ...splitProductVersion(r.subarray(off + 4, off + 4 + len).toString('utf8')) };
      off += 4 + ((len + 3) & ~3);
    }
    return { name: 'stun' };
  },
};

/** ONC RPC (RFC 5531) to the portmapper (RFC 1833): a NULL call to program 100000 version 2. */
export const portmap: UdpPayload = {
  name: 'rpcbind',
  ports: [111],
  build() {
    const b = Buffer.alloc(40);
    const words = [0x50535250, 0 /* CALL */, 2, 100000, 2, 0 /* NULL */, 0, 0, 0, 0];
    words.forEach((w, i) => {
      b.writeUInt32BE(w, i * 4);
    });
    return b;
  },
  parse: (r) => (r.length >= 24 && r.readUInt32BE(0) === 0x50535250 && r.readUInt32BE(4) === 1 ? { name: 'rpcbind' } : undefined),
};

/** SQL Server Resolution Protocol ([MC-SQLR] 2.2.2): CLNT_UCAST_EX (0x03); SVR_RESP (0x05) lists instances. */
export const mssqlBrowser: UdpPayload = {
  name: 'ms-sql-m',
  ports: [1434],
  build: () => Buffer.from([0x03]),
  parse(r) {
    if (r[0] !== 0x05) return undefined;
    const version = /Version;([^;]+);/.exec(r.subarray(3).toString('latin1'))?.[1];
    return version ? { name: 'ms-sql-m', product: 'Microsoft SQL Server', version } : { name: 'ms-sql-m' };
  },
};

/** NAT-PMP (RFC 6886 section 3.2): an external address request (version 0, opcode 0). */
export const natPmp: UdpPayload = {
  name: 'nat-pmp',
  ports: [5351],
  build: () => Buffer.from([0, 0]),
  parse: (r) => (r.length >= 8 && r[0] === 0 && r[1] === 128 ? { name: 'nat-pmp' } : undefined),
};

/** OpenVPN (openvpn ssl.h, "P_CONTROL_HARD_RESET_CLIENT_V2"): opcode 7, key id 0, a session ID, no acks. */
export const openvpn: UdpPayload = {
  name: 'openvpn',
  ports: [1194],
  build: () => Buffer.concat([Buffer.from([7 << 3]), Buffer.from('portscop', 'latin1'), Buffer.from([0, 0, 0, 0, 0])]),
  parse: (r) => (r.length >= 14 && r[0]! >> 3 === 8 ? { name: 'openvpn' } : undefined),
};

/**
 * QUIC (RFC 9000 sections 6 and 17.2.1): a long-header packet with a reserved version (0x?a?a?a?a, section
 * 15) forces a Version Negotiation reply; padded to 1200 bytes as clients must (section 14.1).
 */
export const quic: UdpPayload = {
  name: 'quic',
  ports: [443, 80],
  build() {
    const b = Buffer.alloc(1200);
    b[0] = 0xc0;
    b.writeUInt32BE(0x1a2a3a4a, 1);
    b[5] = 8;
    b.write('portscop', 6, 'latin1');
    b[14] = 0;
    return b;
  },
  parse(r) {
    if (r.length < 7 || (r[0]! & 0x80) === 0 || r.readUInt32BE(1) !== 0) return undefined;
    return { name: 'quic' };
  },
};

/**
 * RADIUS (RFC 2865 section 3): an Access-Request with a User-Name. A server answers known clients only;
 * any reply code (2 accept, 3 reject, 11 challenge) with our identifier names it.
 */
export const radius: UdpPayload = {
  name: 'radius',
  ports: [1812, 1645],
  build() {
    const user = Buffer.from('portscope', 'latin1');
    const b = Buffer.alloc(20 + 2 + user.length);
    b[0] = 1;
    b[1] = 0x50;
    b.writeUInt16BE(b.length, 2);
    b.write('portscope-authent', 4, 16, 'latin1');
    b[20] = 1;
    b[21] = 2 + user.length;
    user.copy(b, 22);
    return b;
  },
  parse: (r) => (r.length >= 20 && [2, 3, 11].includes(r[0]!) && r[1] === 0x50 ? { name: 'radius' } : undefined),
};

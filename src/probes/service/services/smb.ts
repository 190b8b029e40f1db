/**
 * SMB2 NEGOTIATE over direct TCP ([MS-SMB2] §2.2.3, §2.2.4; RFC 1002-style 4-byte session header, [MS-SMB2]
 * §2.1). The response's DialectRevision tells the dialect; an SMB1-only server answers with 0xff 'SMB'.
 */
import { build } from '../match-helpers.js';
import type { ServiceMatch, ServiceModule } from '../types.js';

const DIALECTS = [0x0202, 0x0210, 0x0300, 0x0302];

function negotiate(): Buffer {
  const h = Buffer.alloc(64);
  Buffer.from([0xfe, 0x53, 0x4d, 0x42]).copy(h, 0);
  h.writeUInt16LE(64, 4); // StructureSize
  h.writeUInt16LE(0, 12); // Command NEGOTIATE
  h.writeUInt16LE(1, 14); // CreditRequest
  const body = Buffer.alloc(36 + DIALECTS.length * 2);
  body.writeUInt16LE(36, 0); // StructureSize
  body.writeUInt16LE(DIALECTS.length, 2);
  body.writeUInt16LE(1, 4); // SecurityMode: signing enabled
  for (const [i, d] of DIALECTS.entries()) body.writeUInt16LE(d, 36 + i * 2);
  const msg = Buffer.concat([h, body]);
  const nb = Buffer.alloc(4);
  nb.writeUInt32BE(msg.length);
  return Buffer.concat([nb, msg]);
}

export function matchSmb(data: Buffer): ServiceMatch | null {
  if (data.length < 8 || data[0] !== 0) return null;
  const magic = data.subarray(4, 8).toString('latin1');
  if (magic === '\xffSMB') return build('microsoft-ds', undefined, undefined, 'SMB1');
  if (magic !== '\xfeSMB' || data.length < 4 + 64 + 6) return null;
  const dialect = data.readUInt16LE(4 + 64 + 4);
  const name = dialect === 0x02ff ? 'wildcard' : `${dialect >> 8}.${(dialect & 0xff).toString(16).padStart(2, '0').replace(/0$/, '') || '0'}`;
  return build('microsoft-ds', undefined, undefined, `SMB dialect ${name}`);
}

export const smb: ServiceModule = {
  name: 'microsoft-ds',
  probes: [{ name: 'SMBNegotiate', rarity: 5, ports: [445, 139], payload: negotiate() }],
  matchers: [{ probes: ['SMBNegotiate'], match: matchSmb }],
};

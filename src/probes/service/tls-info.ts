/** The TLS facts -sV reports, read from a connected TLSSocket with node:crypto's X509Certificate. */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from '../../net/index.js';
import type { CertificateInfo, TlsInfo } from '../../model/index.js';

export function describeTls(socket: TLSSocket, now = Date.now()): TlsInfo {
  const info: TlsInfo = { protocol: socket.getProtocol() ?? 'unknown' };
  if (typeof socket.alpnProtocol === 'string' && socket.alpnProtocol) info.alpn = socket.alpnProtocol;
  const cipher = socket.getCipher()?.name;
  if (cipher) info.cipher = cipher;
  const raw = socket.getPeerCertificate()?.raw;
  if (raw && raw.length > 0) {
    try {
      info.certificate = describeCertificate(new X509Certificate(raw), now);
    } catch {
      // A certificate node cannot parse is still a TLS service; report the session without it.
    }
  }
  return info;
}

export function describeCertificate(cert: X509Certificate, now = Date.now()): CertificateInfo {
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    san: (cert.subjectAltName ?? '').split(/,\s*/).filter((s) => s.length > 0),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    selfSigned: isSelfSigned(cert),
    expired: now > notAfter.getTime() || now < notBefore.getTime(),
    sha256: cert.fingerprint256,
  };
}

/** X509Certificate gives one `key=value` per line (RFC 4514 order reversed, as OpenSSL prints it). */
function dn(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .join(', ');
}

function isSelfSigned(cert: X509Certificate): boolean {
  if (cert.subject !== cert.issuer) return false;
  try {
    return cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

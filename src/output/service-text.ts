/** How -sV results read as text, shared by the normal, grepable and XML writers (nmap's conventions). */
import type { PortResult, ServiceInfo } from '../model/index.js';

/** SERVICE column: `ssl/http` for a service inside TLS, as nmap prints it. */
export function serviceLabel(s: ServiceInfo | undefined): string {
  if (!s) return 'unknown';
  return s.tunnel === 'ssl' ? `ssl/${s.name}` : s.name;
}

/** VERSION column: "product version (extrainfo)", nmap's layout. */
export function versionText(s: ServiceInfo | undefined): string {
  if (!s) return '';
  const parts = [s.product, s.version].filter((x): x is string => !!x);
  if (s.extrainfo) parts.push(`(${s.extrainfo})`);
  return parts.join(' ');
}

/** True when the port list carries -sV results (then the VERSION column is shown). */
export function hasVersionInfo(ports: readonly PortResult[]): boolean {
  return ports.some((p) => p.service?.method === 'probed' || p.service?.banner !== undefined);
}

/** Multi-line certificate summary in the words of nmap's ssl-cert script output. */
export function certificateText(s: ServiceInfo): string | undefined {
  const t = s.tls;
  if (!t) return undefined;
  const lines = [`Protocol: ${t.protocol}${t.alpn ? `, ALPN: ${t.alpn}` : ''}${t.cipher ? `, cipher: ${t.cipher}` : ''}`];
  const c = t.certificate;
  if (c) {
    lines.push(`Subject: ${c.subject}`, `Issuer: ${c.issuer}`);
    if (c.san.length > 0) lines.push(`Subject Alternative Name: ${c.san.join(', ')}`);
    const flags = [c.selfSigned ? 'self-signed' : '', c.expired ? 'EXPIRED' : ''].filter(Boolean).join(', ');
    lines.push(`Not valid before: ${c.notBefore}`, `Not valid after:  ${c.notAfter}${flags ? ` (${flags})` : ''}`, `SHA-256: ${c.sha256}`);
  }
  return lines.join('\n');
}

/** Small text helpers shared by the formats. */
import type { HostReport } from '../model/index.js';

/**
 * Makes untrusted text (host names, the command line) safe for a one-line field: control characters
 * become `\xNN` so that a hostile PTR record cannot forge extra output lines.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The name nmap shows for a host: the user's name first, else the reverse-DNS name. */
export function primaryName(host: HostReport): string | undefined {
  return (host.hostnames.find((h) => h.type === 'user') ?? host.hostnames[0])?.name;
}

/** `name (address)` or just `address`, as in "Nmap scan report for localhost (127.0.0.1)". */
export function hostLabel(host: HostReport): string {
  const name = primaryName(host);
  return name === undefined ? host.address : `${oneLine(name)} (${host.address})`;
}

/** Ports each host was asked for: the sum over scaninfo records. */
export function portsPerHost(scanInfo: readonly { numServices: number }[]): number {
  return scanInfo.reduce((n, s) => n + s.numServices, 0);
}

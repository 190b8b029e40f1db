/** Small text helpers shared by the formats. */
import { escapeTerminalText, type HostReport } from '../model/index.js';

/**
 * Untrusted text (host names, the command line, banners) for a one-line field: model/escape.ts's terminal
 * escaper, so that a hostile PTR record or banner cannot forge output lines or send control sequences.
 */
export const oneLine = (text: string): string => escapeTerminalText(text);

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

/** What a reply tells about the service behind a UDP port. */
export interface ServiceGuess {
  name: string;
  product?: string;
  version?: string;
  extrainfo?: string;
}

/**
 * One protocol's probe: the ports it is sent to, the datagram, and a parser that recognises the answer.
 * Every payload is written from the protocol's specification (cited in its file), never from nmap-payloads.
 */
export interface UdpPayload {
  /** Service name this payload speaks to (also the name reported when no parser is given). */
  name: string;
  ports: readonly number[];
  build(): Buffer;
  /** Other datagrams of the same protocol, sent on retries in turn (attempt k sends variant k mod n). */
  alternates?: readonly (() => Buffer)[];
  /** Recognise a reply; undefined = not this protocol (the port is still open: it answered). */
  parse?(reply: Buffer): ServiceGuess | undefined;
  /** True for protocols that never answer a stranger (syslog, WireGuard): open|filtered is all one can see. */
  silent?: boolean;
}

/** "name-1.2.3" / "name 1.2.3" → product and version. */
export function splitProductVersion(s: string): { product: string; version?: string } {
  const m = /^([A-Za-z][^/]*?)[ /_-]v?(\d[\w.+~-]*)/.exec(s.trim());
  return m ? { product: m[1]!, version: m[2]! } : { product: s.trim() };
}

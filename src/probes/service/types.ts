/**
 * The data model of service detection (-sV): probes say what to send, matchers say what an answer means.
 * A service is one file in services/ exporting a ServiceModule; registry.ts lists them all.
 */

/** What a matcher recognised. `name` uses nmap's service names where nmap has one (users grep for them). */
export interface ServiceMatch {
  name: string;
  product?: string;
  version?: string;
  extrainfo?: string;
  cpe?: string[];
  /** HTTP answers: status code, page title, raw Server header. */
  http?: HttpFacts;
}

export interface HttpFacts {
  status: number;
  title?: string;
  server?: string;
}

/** What a probe may use to build its payload. */
export interface ProbeContext {
  /** Target address (for Host headers and the like). */
  address: string;
  port: number;
}

export interface ProbeDef {
  /** Unique name; matchers refer to it. `NULL` is reserved for "send nothing, read the greeting". */
  name: string;
  /** Bytes to send right after connecting. */
  payload: Uint8Array | ((ctx: ProbeContext) => Uint8Array);
  /** Ports where this probe is tried first and regardless of --version-intensity. */
  ports: readonly number[];
  /** 1 (common, cheap, always tried) .. 9 (rare); tried when rarity <= --version-intensity. */
  rarity: number;
  /** Whether the probe makes sense inside a TLS tunnel (default true). */
  inTls?: boolean;
  /** True when the answer is complete (stop reading early); default: the peer goes quiet or closes. */
  complete?: (data: Buffer) => boolean;
}

export interface MatcherDef {
  /** Probe names whose answers this matcher reads (`NULL` = the greeting of a speak-first service). */
  probes: readonly string[];
  /** Recognise `data` or return null. Must never throw on hostile input (callers still guard). */
  match: (data: Buffer) => ServiceMatch | null;
}

export interface ServiceModule {
  /** The service's name, for docs and the registry. */
  name: string;
  probes?: readonly ProbeDef[];
  matchers: readonly MatcherDef[];
}

export const NULL_PROBE = 'NULL';

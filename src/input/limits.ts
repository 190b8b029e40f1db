/**
 * Bounds on what portscope reads from files (docs/input-limits.md). A policy is a hand-written list of rules:
 * 1 MiB holds about ten thousand of them, and the yaml package builds a full syntax tree (roughly 100 bytes
 * of heap per byte of YAML; a 10 MB policy took 12.7 s and 924 MB in issue 10), so more is refused.
 * Scan files grow with the scan: 256 MiB is an nmap -oX of a few million ports; set
 * PORTSCOPE_MAX_INPUT_MB to read larger ones.
 */
export const POLICY_MAX_BYTES = 1024 * 1024;
export const SCAN_FILE_MAX_BYTES = 256 * 1024 * 1024;
/** nmap XML nests about 6 deep (nmaprun/host/ports/port/script/table…); scripts' tables nest a little more. */
export const XML_MAX_DEPTH = 100;
/** YAML aliases expanded per document: enough for anchors shared between rules, far below a "billion laughs". */
export const YAML_MAX_ALIASES = 100;

/** The scan-file limit, raised (never lowered below 1 MiB) by PORTSCOPE_MAX_INPUT_MB. */
export function scanFileMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.PORTSCOPE_MAX_INPUT_MB);
  return Number.isFinite(mb) && mb >= 1 ? Math.floor(mb * 1024 * 1024) : SCAN_FILE_MAX_BYTES;
}

/** `1.5 MiB`, `300 KiB`: sizes for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

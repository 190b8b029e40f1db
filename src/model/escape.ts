/**
 * Untrusted text made safe for a terminal: the one escaping function every text renderer uses (listening
 * table, audit text, normal and grepable output, service and banner text, diff and history text). Anyone
 * can choose a process name (prctl PR_SET_NAME), a banner, a PTR record or the contents of a file given to
 * `import`/`diff`, so none of it may reach a terminal as a control sequence.
 *
 * Escaped as visible text:
 * - C0 controls U+0000–U+001F (ESC, BEL, CR, LF, TAB, …) and DEL U+007F: `\x1b`;
 * - C1 controls U+0080–U+009F (U+009B is a one-character CSI on terminals that honour 8-bit C1, and
 *   U+0085 is NEL): `\x9b`;
 * - Unicode bidirectional controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: "Trojan Source",
 *   CVE-2021-42574) and the line/paragraph separators U+2028/U+2029: `\u{202e}`;
 * - lone UTF-16 surrogates (text that was never valid Unicode): `\u{d800}`.
 * Invalid UTF-8 never reaches a string raw: Node's decoder turns it into U+FFFD, and decodeUtf8Visible
 * below keeps the bytes visible as `\xNN` where the bytes matter (process names).
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

export interface TerminalTextOptions {
  /** Keep LF as a line break (multi-line blocks the renderer itself indents); CR is escaped even then. */
  newlines?: boolean;
}

/** `\x1b` for a code unit below U+0100, `\u{202e}` above. */
export function visibleEscape(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u{${n.toString(16)}}`;
}

/** The terminal escaper: untrusted text in, text that cannot move the cursor, retitle or clear out. */
export function escapeTerminalText(text: string, o: TerminalTextOptions = {}): string {
  // The common case (nothing to escape) returns the same string without building a new one.
  if (!UNSAFE_TEST.test(text)) return text;
  return text.replace(UNSAFE, (c) => (o.newlines && c === '\n' ? c : visibleEscape(c)));
}

/**
 * Bytes of unknown encoding (a /proc name, a command line) as text: valid UTF-8 decoded, every byte of an
 * invalid sequence written `\xNN`. The result still needs escapeTerminalText before a terminal: valid UTF-8
 * can encode controls too.
 */
export function decodeUtf8Visible(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  let run = 0; // start of the current run of valid bytes
  const flush = (end: number): void => {
    if (end > run) out += UTF8.decode(bytes.subarray(run, end));
  };
  while (i < bytes.length) {
    const n = utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    flush(i);
    out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    i++;
    run = i;
  }
  flush(i);
  return out;
}

const UTF8 = new TextDecoder('utf-8');

/** Length of the well-formed UTF-8 sequence at `i` (Unicode 15 table 3-7), or 0 when there is none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

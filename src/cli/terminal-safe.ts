/** Untrusted text for a terminal: C0 controls, DEL and C1 controls become `\xNN` (no forged lines or escape sequences). */
export function terminalSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

/**
 * User input quoted for a one-line error message: control characters escaped (a newline must not break
 * the line, a NUL must not cut it) and long input shortened, so hostile input cannot flood the terminal.
 */
export function quoteInput(input: string, max = 80): string {
  const short = input.length > max ? input.slice(0, max) + '…' : input;
  // eslint-disable-next-line no-control-regex
  return '"' + short.replace(/[\u0000-\u001f\u007f\u2028\u2029"\\]/g, (c) => (c === '"' || c === '\\' ? '\\' + c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) + '"';
}

/**
 * Times and numbers written the way nmap writes them, so that people and scripts used to nmap's output
 * read ours the same way. Local time zone, as nmap (it uses the C library's local time).
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

/** C `ctime()` form without the newline: `Wed Nov  5 16:57:32 2026` (day padded with a space). */
export function ctimeString(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getDate()).padStart(2, ' ');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

/** nmap's interactive header time, strftime `%Y-%m-%d %H:%M %Z`: `2026-11-25 16:57 UTC`. */
export function screenTimeString(ms: number): string {
  const d = new Date(ms);
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const text = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  return zone ? `${text} ${zone}` : text;
}

/** Whole seconds since the epoch, as XML `start=`, `time=`, `starttime=`. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Elapsed time with two decimals, as in "scanned in 0.06 seconds" and XML `elapsed=`. */
export function elapsedSeconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(2);
}

/**
 * A number with `digits` significant digits in fixed notation, as nmap prints latency:
 * 0.0001 → `0.00010`, 0.000096 → `0.000096`, 0.0123 → `0.012` (never exponent notation).
 */
export function significantDigits(x: number, digits: number): string {
  if (!Number.isFinite(x) || x <= 0) return '0';
  const magnitude = Math.floor(Math.log10(x));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return x.toFixed(Math.min(decimals, 20));
}

/** "1 IP address (1 host up)" / "3 IP addresses (2 hosts up)". */
export function hostCounts(total: number, up: number): string {
  return `${total} IP address${total === 1 ? '' : 'es'} (${up} host${up === 1 ? '' : 's'} up)`;
}

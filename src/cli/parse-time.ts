import { OptionError } from '../model/index.js';

/** nmap's time syntax: a number with an optional unit ms, s, m or h; seconds when none (nmap(1), "Timing"). */
export function parseTime(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new OptionError(`invalid time "${text}" for ${flag}: use a number with ms, s, m or h (e.g. 500ms, 30s)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return n * factor;
}

export function parseCount(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new OptionError(`invalid number "${text}" for ${flag}`);
  const n = Number(text);
  if (n < min || n > max) throw new OptionError(`${flag} ${text} is out of range (${min}-${max})`);
  return n;
}

export function parseRate(flag: string, text: string): number {
  const m = /^\d+(\.\d+)?$/.exec(text.trim());
  if (!m || Number(text) <= 0) throw new OptionError(`invalid rate "${text}" for ${flag}: probes per second, above 0`);
  return Number(text);
}

import { OptionError } from '../entry/core.js';

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

const TEMPLATE_NAMES: Record<string, number> = { paranoid: 0, sneaky: 1, polite: 2, normal: 3, aggressive: 4, insane: 5 };

/** nmap's timing templates: -T0..-T5 or their names (nmap(1), "Timing and Performance"). */
export function parseTemplate(v: string): number {
  const named = TEMPLATE_NAMES[v.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-5]$/.test(v)) throw new OptionError(`invalid timing template "-T${v}": use -T0 to -T5 or paranoid|sneaky|polite|normal|aggressive|insane`);
  return Number(v);
}

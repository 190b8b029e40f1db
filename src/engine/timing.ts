import { OptionError } from '../model/index.js';

/** User-facing timing knobs (nmap's names); every field optional, the template fills the rest. */
export interface TimingOptions {
  /** -T0 … -T5 (default 3). */
  template?: number;
  minRttTimeoutMs?: number;
  maxRttTimeoutMs?: number;
  initialRttTimeoutMs?: number;
  maxRetries?: number;
  minParallelism?: number;
  maxParallelism?: number;
  /** Probes per second, at least (raises parallelism) / at most (token bucket). */
  minRate?: number;
  maxRate?: number;
  hostTimeoutMs?: number;
  scanDelayMs?: number;
  /** Hosts scanned at once. */
  maxHostgroup?: number;
}

export interface Timing {
  template: number;
  minRttTimeoutMs: number;
  maxRttTimeoutMs: number;
  initialRttTimeoutMs: number;
  maxRetries: number;
  minParallelism: number;
  maxParallelism: number;
  initialWindow: number;
  minRate: number;
  maxRate: number;
  hostTimeoutMs: number;
  scanDelayMs: number;
  maxHostgroup: number;
}

/**
 * Templates. RTT bounds and retry caps are nmap's documented values for -T0..-T5 (nmap(1), "Timing and
 * Performance"), so -T4 means what users expect. Windows are ours: a connect scan holds one socket per probe
 * in flight, so the initial window is what a LAN answers without loss; it grows while answers come back.
 */
const TEMPLATES: readonly Omit<Timing, 'maxParallelism' | 'minRate' | 'maxRate' | 'template'>[] = [
  { minRttTimeoutMs: 100, maxRttTimeoutMs: 300_000, initialRttTimeoutMs: 300_000, maxRetries: 10, minParallelism: 1, initialWindow: 1, hostTimeoutMs: 0, scanDelayMs: 300_000, maxHostgroup: 1 },
  { minRttTimeoutMs: 100, maxRttTimeoutMs: 15_000, initialRttTimeoutMs: 15_000, maxRetries: 10, minParallelism: 1, initialWindow: 1, hostTimeoutMs: 0, scanDelayMs: 15_000, maxHostgroup: 1 },
  { minRttTimeoutMs: 100, maxRttTimeoutMs: 10_000, initialRttTimeoutMs: 1_000, maxRetries: 10, minParallelism: 1, initialWindow: 1, hostTimeoutMs: 0, scanDelayMs: 400, maxHostgroup: 4 },
  { minRttTimeoutMs: 100, maxRttTimeoutMs: 10_000, initialRttTimeoutMs: 1_000, maxRetries: 10, minParallelism: 1, initialWindow: 256, hostTimeoutMs: 0, scanDelayMs: 0, maxHostgroup: 256 },
  { minRttTimeoutMs: 100, maxRttTimeoutMs: 1_250, initialRttTimeoutMs: 500, maxRetries: 6, minParallelism: 1, initialWindow: 1024, hostTimeoutMs: 0, scanDelayMs: 0, maxHostgroup: 512 },
  { minRttTimeoutMs: 50, maxRttTimeoutMs: 300, initialRttTimeoutMs: 250, maxRetries: 2, minParallelism: 1, initialWindow: 4096, hostTimeoutMs: 900_000, scanDelayMs: 0, maxHostgroup: 1024 },
];

export function resolveTiming(o: TimingOptions, fdLimit: number): Timing {
  const template = o.template ?? 3;
  if (!Number.isInteger(template) || template < 0 || template > 5) {
    throw new OptionError(`invalid timing template -T${template}: use -T0 to -T5`);
  }
  const t = TEMPLATES[template]!;
  // Leave room for the process's own descriptors; each probe in flight holds one socket.
  const fdCap = Math.max(16, Math.min(16_384, fdLimit - 128));
  const maxParallelism = Math.min(o.maxParallelism ?? (template <= 2 ? 1 : fdCap), fdCap);
  const timing: Timing = {
    template,
    minRttTimeoutMs: o.minRttTimeoutMs ?? t.minRttTimeoutMs,
    maxRttTimeoutMs: o.maxRttTimeoutMs ?? t.maxRttTimeoutMs,
    initialRttTimeoutMs: o.initialRttTimeoutMs ?? t.initialRttTimeoutMs,
    maxRetries: o.maxRetries ?? t.maxRetries,
    minParallelism: Math.min(o.minParallelism ?? t.minParallelism, maxParallelism),
    maxParallelism,
    initialWindow: Math.max(Math.min(t.initialWindow, maxParallelism), Math.min(o.minParallelism ?? 1, maxParallelism)),
    minRate: o.minRate ?? 0,
    maxRate: o.maxRate ?? 0,
    hostTimeoutMs: o.hostTimeoutMs ?? t.hostTimeoutMs,
    scanDelayMs: o.scanDelayMs ?? t.scanDelayMs,
    maxHostgroup: o.maxHostgroup ?? t.maxHostgroup,
  };
  if (timing.minRttTimeoutMs > timing.maxRttTimeoutMs) {
    throw new OptionError('--min-rtt-timeout is above --max-rtt-timeout');
  }
  if (timing.maxRate > 0 && timing.minRate > timing.maxRate) throw new OptionError('--min-rate is above --max-rate');
  if (timing.maxRetries > 50) throw new OptionError(`--max-retries ${timing.maxRetries} is above 50`);
  if (timing.initialRttTimeoutMs < timing.minRttTimeoutMs) timing.initialRttTimeoutMs = timing.minRttTimeoutMs;
  if (timing.initialRttTimeoutMs > timing.maxRttTimeoutMs) timing.initialRttTimeoutMs = timing.maxRttTimeoutMs;
  return timing;
}

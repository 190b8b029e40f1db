import { execFileSync } from 'node:child_process';

/**
 * Lab tests need root, iproute2 and nftables. Outside CI a missing prerequisite skips the test with the
 * reason; in CI (CI=true) it fails, so a lab that silently stopped running cannot pass unnoticed.
 */
let cached: string | null | undefined;

export function labUnavailableReason(): string | null {
  if (cached !== undefined) return cached;
  cached = probe();
  return cached;
}

function probe(): string | null {
  if (process.platform !== 'linux') return `lab needs Linux (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'lab needs root (network namespaces)';
  for (const [cmd, args] of [
    ['ip', ['-V']],
    ['nft', ['--version']],
  ] as const) {
    try {
      execFileSync(cmd, [...args], { stdio: 'ignore' });
    } catch {
      return `lab needs ${cmd} (install iproute2 / nftables)`;
    }
  }
  return null;
}

/** Options for node:test's `test()`: skip with the reason outside CI; in CI, `assertLabAvailable` fails. */
export function labTestOptions(): { skip: string | false } {
  const reason = labUnavailableReason();
  if (reason !== null && process.env.CI !== 'true') return { skip: reason };
  return { skip: false };
}

/** Call first inside a lab test (or a before hook): throws in CI when the lab cannot run. */
export function assertLabAvailable(): void {
  const reason = labUnavailableReason();
  if (reason !== null) throw new Error(`lab test cannot run in CI: ${reason}`);
}

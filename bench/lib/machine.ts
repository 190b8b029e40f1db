import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

/** Facts a reader needs to compare figures across machines. */
export interface Machine {
  date: string;
  os: string;
  kernel: string;
  cpu: string;
  cores: number;
  memGiB: number;
  node: string;
  nmap: string;
}

export function machine(): Machine {
  return {
    date: new Date().toISOString(),
    os: osName(),
    kernel: release(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    nmap: firstLine(
      () =>
        execFileSync('nmap', ['--version'], { encoding: 'utf8' })
          .split('\n')
          .find((l) => l.startsWith('Nmap version')) ?? '',
    ),
  };
}

function osName(): string {
  return firstLine(() => /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? process.platform);
}

function firstLine(f: () => string): string {
  try {
    return f().trim();
  } catch {
    return 'unknown';
  }
}

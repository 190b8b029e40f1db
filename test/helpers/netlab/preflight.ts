import { execFileSync } from 'node:child_process';

/** Throw one clear error when the lab cannot be built here: not Linux, not root, or ip/nft missing. */
export function assertLabTools(): void {
  if (process.platform !== 'linux') throw new Error(`netlab: needs Linux network namespaces (this is ${process.platform})`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('netlab: needs root to create network namespaces');
  for (const [cmd, pkg] of [
    ['ip', 'iproute2'],
    ['nft', 'nftables'],
  ] as const) {
    try {
      execFileSync(cmd, ['-V'], { stdio: 'ignore' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`netlab: \`${cmd}\` not found (apt-get install ${pkg})`);
    }
  }
}

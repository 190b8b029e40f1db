import { execFile } from 'node:child_process';

/**
 * Which host firewalls are active, in words for a report ("nftables (table inet filter)", "ufw active").
 * Each tool is asked read-only, all at once, each with a short timeout, without blocking the event loop; a
 * missing tool or no permission means "not seen", which the report states as a limit rather than as "no
 * firewall".
 */
export async function detectFirewalls(timeoutMs = 3000): Promise<string[]> {
  const [nft, ufw, firewalld, ipt] = await Promise.all([ask('nft', ['list', 'tables'], timeoutMs), ask('ufw', ['status'], timeoutMs), ask('firewall-cmd', ['--state'], timeoutMs), ask('iptables', ['-S', 'INPUT'], timeoutMs)]);
  const found: string[] = [];
  if (nft) {
    const tables = nft
      .split('\n')
      .map((l) => l.replace(/^table\s+/, '').trim())
      .filter(Boolean);
    if (tables.length > 0) found.push(`nftables (${tables.map((t) => `table ${t}`).join(', ')})`);
  }
  if (ufw && /Status: active/.test(ufw)) found.push('ufw (active)');
  if (firewalld?.trim() === 'running') found.push('firewalld (running)');
  // More than the policy line (-P INPUT ACCEPT) means rules exist; iptables-nft rules also show in nft.
  if (ipt && ipt.split('\n').filter((l) => l.startsWith('-A ')).length > 0) found.push('iptables (INPUT rules)');
  return found;
}

/** A tool's stdout, or null when it is missing, fails or outlives `timeoutMs` (then it is killed). */
function ask(cmd: string, args: string[], timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: timeoutMs, windowsHide: true }, (err, stdout) => resolve(err ? null : stdout));
  });
}

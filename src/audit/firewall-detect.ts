import { execFileSync } from 'node:child_process';

/**
 * Which host firewalls are active, in words for a report ("nftables (table inet filter)", "ufw active").
 * Each tool is asked read-only, with a short timeout; a missing tool or no permission means "not seen",
 * which the report states as a limit rather than as "no firewall".
 */
export function detectFirewalls(): string[] {
  const found: string[] = [];
  const nft = run('nft', ['list', 'tables']);
  if (nft) {
    const tables = nft.split('\n').map((l) => l.replace(/^table\s+/, '').trim()).filter(Boolean);
    if (tables.length > 0) found.push(`nftables (${tables.map((t) => `table ${t}`).join(', ')})`);
  }
  const ufw = run('ufw', ['status']);
  if (ufw && /Status: active/.test(ufw)) found.push('ufw (active)');
  const firewalld = run('firewall-cmd', ['--state']);
  if (firewalld?.trim() === 'running') found.push('firewalld (running)');
  const ipt = run('iptables', ['-S', 'INPUT']);
  // More than the policy line (-P INPUT ACCEPT) means rules exist; iptables-nft rules also show in nft.
  if (ipt && ipt.split('\n').filter((l) => l.startsWith('-A ')).length > 0) found.push('iptables (INPUT rules)');
  return found;
}

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000 });
  } catch {
    return null;
  }
}

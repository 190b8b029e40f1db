/**
 * This machine's identity for the fleet: the machine-id (machine-id(5): /etc/machine-id, with D-Bus's
 * /var/lib/dbus/machine-id as the older fallback), the hostname and the non-loopback addresses.
 * Overrides (flags, or $PORTSCOPE_MACHINE_ID / $PORTSCOPE_HOSTNAME) serve containers without a machine-id
 * and tests that let several network namespaces act as machines.
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { OptionError, type MachineIdentity } from '../model/index.js';

const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'];
/** machine-id(5) is 32 lower-case hex digits; overrides may be any short printable token. */
const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface IdentityOverrides {
  machineId?: string;
  hostname?: string;
}

export function readMachineIdentity(over: IdentityOverrides = {}, env: NodeJS.ProcessEnv = process.env): MachineIdentity {
  const given = over.machineId ?? (env.PORTSCOPE_MACHINE_ID || undefined);
  const machineId = given ?? readMachineIdFile();
  if (!ID_SHAPE.test(machineId)) throw new OptionError(`machine id "${machineId.slice(0, 64)}" is not a token of letters, digits and ._:- (at most 128)`);
  const hostname = over.hostname ?? (env.PORTSCOPE_HOSTNAME || osHostname());
  if (!ID_SHAPE.test(hostname)) throw new OptionError(`hostname "${hostname.slice(0, 64)}" is not a token of letters, digits and ._:-`);
  return { machineId, hostname, addresses: localAddresses() };
}

function readMachineIdFile(): string {
  for (const f of MACHINE_ID_FILES) {
    try {
      const id = readFileSync(f, 'utf8').trim();
      if (id) return id;
    } catch {
      // try the next one
    }
  }
  throw new OptionError(`no machine id: ${MACHINE_ID_FILES.join(' and ')} are missing or empty (give --machine-id ID or set PORTSCOPE_MACHINE_ID)`);
}

/** Non-loopback, non-link-local addresses of this network namespace's interfaces, sorted. */
function localAddresses(): string[] {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
      out.add(a.address);
    }
  }
  return [...out].sort();
}

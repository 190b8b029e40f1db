import type { FindingType } from '../audit/policy-schema.js';
import type { Severity } from '../audit/report-schema.js';

/** One description per finding type, for SARIF rules and the HTML legend (docs/audit.md says the same at length). */
export const FINDING_DOCS: Record<FindingType, { short: string; full: string; severity: Severity }> = {
  'open-not-allowed': { short: 'Open port not in the policy', full: 'A socket listens (or a remote port is open) and no policy rule allows the port.', severity: 'high' },
  'allowed-but-closed': { short: 'Allowed port is closed', full: 'A policy rule expects a service on this port (required: true) but nothing listens or answers: the service may be down.', severity: 'medium' },
  'exposure-wider-than-allowed': { short: 'Exposure wider than allowed', full: 'The socket is bound wider than the rule allows (e.g. 0.0.0.0 where loopback is allowed) and is reachable, or a remote port is reachable from where the rule does not allow.', severity: 'high' },
  'listening-but-filtered': { short: 'Listening wider than allowed, hidden by a firewall', full: 'The socket is bound wider than the rule allows, and only the host firewall keeps it unreachable today.', severity: 'medium' },
  'reachable-without-listener': { short: 'Reachable without a local listener', full: 'The port answers on an address of this machine but no local socket listens there: a NAT/DNAT forward, a container proxy, or another host answers.', severity: 'high' },
  'unexpected-owner': { short: 'Listener owned by an unexpected process or user', full: 'The rule names the process or user that may own the port, and the listening process is another.', severity: 'high' },
  'deleted-executable': { short: 'Listener runs a deleted executable', full: 'A process holding the socket runs an executable that was deleted from disk (/proc/PID/exe ends in " (deleted)"): an upgrade not yet restarted, or a program that hid itself.', severity: 'high' },
};

import { z } from 'zod';
import { parseCidr } from './cidr.js';

/**
 * The rule parts of the audit policy (docs/audit.md): scopes, port rules, host entries. Split from
 * policy-schema.ts, which adds ignore rules (those name finding types, which come from checks/).
 */

const SCOPES = ['public', 'loopback', 'interface'] as const;
const SCOPE_SHAPE = /^(public|loopback|interface|[0-9A-Fa-f:.]+(\/\d{1,3})?)$/;

/** `public` (any address), `loopback` (127.0.0.0/8, ::1), `interface` (one specific address), or a CIDR. */
export const ScopeSchema = z
  .string()
  .regex(SCOPE_SHAPE, 'expected public, loopback, interface or a CIDR such as 192.0.2.0/24')
  // The regex (which the JSON Schema carries) checks the shape; this checks the address. One issue per value.
  .refine((s) => !SCOPE_SHAPE.test(s) || (SCOPES as readonly string[]).includes(s) || parseCidr(s) !== null, {
    message: 'expected public, loopback, interface or a CIDR such as 192.0.2.0/24',
  })
  .describe('Who may reach the port: public, loopback, interface (a socket bound to one address), or a CIDR the bound/scanned address must lie in.');

export const oneOrMany = <T extends z.ZodType>(s: T) => z.union([s, z.array(s).min(1)]);

export const PortRuleSchema = z
  .strictObject({
    port: z.number({ error: 'expected a port 0-65535' }).int('expected a port 0-65535').min(0, 'expected a port 0-65535').max(65535, 'expected a port 0-65535'),
    protocol: z.enum(['tcp', 'udp']).default('tcp'),
    to: oneOrMany(ScopeSchema).default('public').describe('Allowed exposure; a list allows the union.'),
    required: z.boolean().default(true).describe('A closed port is a finding (allowed-but-closed); false: the port may be closed.'),
    process: oneOrMany(z.string().min(1)).optional().describe('Allowed process names (/proc/PID/comm or the command basename).'),
    user: oneOrMany(z.string().min(1)).optional().describe('Allowed owning users (name or numeric uid).'),
    listener: z.boolean().default(true).describe('false: the port is reachable without a local listener on purpose (DNAT, container proxy).'),
    note: z.string().optional(),
  })
  .describe('One port that may be open.');

export const HostSchema = z.strictObject({
  name: z.string().min(1).optional(),
  match: oneOrMany(z.string().min(1)).describe('"local" (this machine), addresses, CIDRs or names as given on the command line.'),
  ports: z.array(PortRuleSchema).default([]),
});

export type Scope = z.infer<typeof ScopeSchema>;
export type PortRule = z.infer<typeof PortRuleSchema>;
export type HostPolicy = z.infer<typeof HostSchema>;
/** What scope.ts needs of a policy: its rules, without the ignore list. */
export interface PolicyRules {
  ports: PortRule[];
  hosts: HostPolicy[];
}

/**
 * THE table of audit checks: one module per finding type, in the order docs/audit.md explains them. The
 * policy schema's `finding` enum, the report's `type`, SARIF rules, the HTML legend and the docs table all
 * come from here; test/unit/audit/checks.test.ts holds docs/audit.md's table to it.
 */
import { z } from 'zod';
import type { FindingDoc } from '../../model/index.js';
import type { Remediation } from '../evidence-schema.js';
import type { RemediationContext } from '../remediation.js';
import { allowedButClosed } from './allowed-but-closed.js';
import { deletedExecutable } from './deleted-executable.js';
import { exposureWiderThanAllowed } from './exposure-wider-than-allowed.js';
import { listeningButFiltered } from './listening-but-filtered.js';
import { openNotAllowed } from './open-not-allowed.js';
import { reachableWithoutListener } from './reachable-without-listener.js';
import { unexpectedOwner } from './unexpected-owner.js';
import { firewallOnlyProtection } from './firewall-only-protection.js';
import { firewallShadowedRule } from './firewall-shadowed-rule.js';
import { firewallStaleAccept } from './firewall-stale-accept.js';

export const CHECKS = [
  openNotAllowed,
  allowedButClosed,
  exposureWiderThanAllowed,
  listeningButFiltered,
  reachableWithoutListener,
  unexpectedOwner,
  deletedExecutable,
  firewallOnlyProtection,
  firewallStaleAccept,
  firewallShadowedRule,
] as const;

export type FindingType = (typeof CHECKS)[number]['type'];
export const FINDING_TYPES = CHECKS.map((c) => c.type) as [FindingType, ...FindingType[]];
export const FindingTypeSchema = z.enum(FINDING_TYPES);

export type { AuditCheck, CheckInput, FindingDraft } from './types.js';

/** Each type's description and severity, for SARIF rules and the HTML legend (output/ takes it as an argument). */
export const FINDING_DOCS: Readonly<Record<FindingType, FindingDoc>> = Object.fromEntries(CHECKS.map((c) => [c.type, { ...c.describe, severity: c.severity }])) as Record<FindingType, FindingDoc>;

/** The check of a finding type. */
export function checkOf(type: FindingType): (typeof CHECKS)[number] {
  return CHECKS.find((c) => c.type === type)!;
}

/** The remediation of one finding, by its check. */
export function remediate(ctx: RemediationContext & { type: FindingType }): Remediation {
  return checkOf(ctx.type).remediate(ctx);
}

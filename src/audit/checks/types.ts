import type { ListeningSocket } from '../../model/index.js';
import type { Remediation, ScanFact, Severity } from '../evidence-schema.js';
import type { HostView } from '../host-view.js';
import type { RemediationContext } from '../remediation.js';
import type { LocatedRule } from '../scope.js';

/** What every check reads about one host: the view, the rules that apply, and the facts derived once. */
export interface CheckInput {
  view: HostView;
  rules: LocatedRule[];
  /** Inside-view sockets per `protocol/port`: the v4 and v6 sockets of one service are one finding. */
  groups: ReadonlyMap<string, ListeningSocket[]>;
  /** Outside-view facts of a port (TCP only), at the addresses `filter` keeps. */
  scanFacts(protocol: 'tcp' | 'udp', port: number, filter?: (address: string) => boolean): ScanFact[];
  /** Open TCP ports of the outside view: every one (remote), or those no local socket covers (local). */
  openPorts: ReadonlyMap<number, ScanFact[]>;
}

/** One finding before the evaluator adds its id, evidence layout and remediation. */
export interface FindingDraft {
  severity: Severity;
  protocol: 'tcp' | 'udp';
  port: number;
  sockets: ListeningSocket[];
  scan: ScanFact[];
  located: LocatedRule | undefined;
  title: string;
}

/**
 * One finding type (docs/audit.md, "Finding types"): its description, its severity as documented (the
 * highest it reports), when it is produced and how to fix it. Adding a type is one file in checks/ and
 * one line in checks/index.ts; the policy schema's enum, SARIF rules and the HTML legend follow.
 */
export interface AuditCheck<T extends string = string> {
  readonly type: T;
  readonly describe: { short: string; full: string };
  readonly severity: Severity;
  evaluate(input: CheckInput): FindingDraft[];
  remediate(ctx: RemediationContext): Remediation;
}

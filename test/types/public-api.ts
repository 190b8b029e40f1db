/**
 * Type tests of the public surface (compiled by `tsc -p tsconfig.json` with the rest, never run): what a
 * library user writes against `portscope` and its subpaths must keep compiling, and every subpath
 * (src/entry/*.ts, package.json "exports") must export the same bindings as src/index.ts.
 */
import * as api from '../../src/index.js';
import type * as auditEntry from '../../src/entry/audit.js';
import type * as coreEntry from '../../src/entry/core.js';
import type * as diffEntry from '../../src/entry/diff.js';
import type * as historyEntry from '../../src/entry/history.js';
import type * as importEntry from '../../src/entry/import.js';
import type * as listeningEntry from '../../src/entry/listening.js';
import type * as scanEntry from '../../src/entry/scan.js';
import type * as watchEntry from '../../src/entry/watch.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
/** true when every value E exports is exported by src/index.ts with the same type. */
type SubsetOfIndex<E> = { [K in keyof E]: K extends keyof typeof api ? Equal<E[K], (typeof api)[K]> : false }[keyof E];

export type Subpaths = [
  Expect<Equal<SubsetOfIndex<typeof coreEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof scanEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof listeningEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof auditEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof historyEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof diffEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof importEntry>, true>>,
  Expect<Equal<SubsetOfIndex<typeof watchEntry>, true>>,
];

// What the CLI does, written as a library user would (never called).
export async function usage(): Promise<void> {
  const run: api.ScanRun = api.scan({ targets: ['127.0.0.1'], ports: '22', dryRun: true, template: 4 });
  const writer: api.OutputWriter = api.formatNamed(api.SCAN_FORMATS, 'xml').render({ openOnly: false, reason: false, verbose: 0, color: false });
  for await (const ev of run) if (ev.kind === 'host') writer.host(ev.host);
  const ext: string | undefined = api.SCAN_FORMATS[0]?.ext;

  const sockets = await api.listening({ tcp: true, ports: api.parsePortList('22,80') });
  const meta: api.ListeningReportMeta = { version: api.VERSION, generatedAt: new Date().toISOString(), hostname: 'h' };
  const json: string = api.formatNamed(api.LISTENING_FORMATS, 'json').render(sockets, meta);
  const table: string = api.renderListeningTable(sockets, { color: false, verbose: true });

  const policy: api.LoadedPolicy = api.parsePolicy('version: 1\n');
  const hash: string = policy.sha256;
  const result: api.AuditResult = await api.audit({ policy, targets: [], noScan: true });
  const sarif: string = api.formatNamed(api.AUDIT_FORMATS, 'sarif').render(result.report, api.FINDING_DOCS);
  const severity: api.Severity = api.SEVERITIES[1];
  const starter: string = api.starterPolicy(result.views, new Date());
  const saved: { id: number; scanId?: number; db: string } = await api.saveAuditRun(result, { args: 'portscope audit', policyHash: hash }, { db: ':memory:' });

  const audits = await api.auditHistory({ db: ':memory:' });
  const listed: api.AuditListing | undefined = audits.audits[0];
  const ad: api.AuditDiff = await api.diffStoredAudits({ a: '1', b: '2', db: ':memory:' });
  const adText: string = api.formatNamed(api.AUDIT_DIFF_FORMATS, 'text').render(ad);
  const d: api.ScanDiff = await api.diff({ a: 'a.xml', b: 'b.xml' });
  const dText: string = api.formatNamed(api.DIFF_FORMATS, 'json').render(d) + api.formatDiffText(d);
  const doc: Record<string, unknown> = api.diffJsonDocument(d);
  const targets: string[] = api.splitTargetList('192.0.2.1,192.0.2.2');
  void [ext, json, table, sarif, severity, starter, saved, listed, adText, dText, doc, targets];
}

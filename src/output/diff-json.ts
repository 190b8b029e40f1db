/** The diff as one JSON document (`portscope diff --json`): ScanDiff plus a format version. */
import type { ScanDiff } from '../model/index.js';

export const DIFF_FORMAT_VERSION = 1;

export function diffJsonDocument(d: ScanDiff): Record<string, unknown> {
  return {
    formatVersion: DIFF_FORMAT_VERSION,
    a: { ...d.a, start: new Date(d.a.startedAt).toISOString() },
    b: { ...d.b, start: new Date(d.b.startedAt).toISOString() },
    changed: d.changed,
    counts: d.counts,
    hosts: d.hosts,
  };
}

export function formatDiffJson(d: ScanDiff): string {
  return JSON.stringify(diffJsonDocument(d), null, 2) + '\n';
}

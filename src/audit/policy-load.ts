import { createHash } from 'node:crypto';
import { isMap, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import { formatBytes, POLICY_MAX_BYTES } from '../input/limits.js';
import { readBoundedText } from '../input/read-bounded.js';
import { parseYamlText } from '../input/yaml.js';
import type { z } from 'zod';
import { PortscopeError } from '../model/index.js';
import { PolicySchema, type Policy, type PolicyLines } from './policy-schema.js';

/** A policy file that cannot be read or is not valid: the message starts with `file:line:column:`. */
export class PolicyError extends PortscopeError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line = 0, column = 0) {
    super('E_POLICY', message);
    this.line = line;
    this.column = column;
  }
}

export interface LoadedPolicy {
  policy: Policy;
  /** The file name as the user gave it. */
  path: string;
  /** Line of each rule: `ports[2]`, `hosts[0].ports[1]`, `ignore[3]`. */
  lines: PolicyLines;
  /** SHA-256 (hex) of the policy text that was parsed: what an audit records as the policy it evaluated. */
  sha256: string;
}

export function loadPolicyFile(path: string): LoadedPolicy {
  const text = readBoundedText(path, { what: 'policy file', maxBytes: POLICY_MAX_BYTES, error: (m) => new PolicyError(m) });
  return parsePolicy(text, path);
}

/**
 * Parse and validate policy text. YAML 1.2 core schema (the yaml package's default): `2026-12-31` stays a
 * string, duplicate keys are errors. The first problem is reported as `name:line:col: path: message`
 * (the column of the offending value, or of the key for an unknown key, or of the enclosing map for a
 * missing key), since one precise line is more useful to a person than a list of follow-on errors.
 */
export function parsePolicy(text: string, path = 'policy.yaml'): LoadedPolicy {
  const name = path;
  // Text given to the library directly is bounded too (loadPolicyFile refuses larger files before reading).
  if (text.length > POLICY_MAX_BYTES) throw new PolicyError(`${name}: policy too large (${formatBytes(text.length)}; the limit is ${formatBytes(POLICY_MAX_BYTES)})`);
  const { doc, lineCounter, result: parsed } = parseYamlText(text);
  if ('error' in parsed) throw new PolicyError(parsed.line ? `${name}:${parsed.line}:${parsed.col}: ${parsed.error}` : `${name}: ${parsed.error}`, parsed.line, parsed.col);
  const raw: unknown = parsed.value ?? {};
  const result = PolicySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const { offset, missing } = locate(doc, issue);
    const { line, col } = lineCounter.linePos(offset);
    const where = formatPath(issue.path);
    const message = missing ? 'required field missing' : issueMessage(issue);
    const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
    throw new PolicyError(`${name}:${line}:${col}: ${where ? `${where}: ` : ''}${message}${more}`, line, col);
  }
  return { policy: result.data, path, lines: ruleLines(doc, lineCounter), sha256: createHash('sha256').update(text).digest('hex') };
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value') return issue.message.replace(/^Invalid option: expected one of /, 'expected one of ');
  return issue.message.replace(/^Invalid input: /, '');
}

/** `ports[2].port` from ['ports', 2, 'port']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** Source offset for an issue: the value at its path, else its nearest existing ancestor (missing field). */
function locate(doc: Document, issue: z.core.$ZodIssue): { offset: number; missing: boolean } {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(map)) {
      const pair = map.items.find((it) => (it.key as { value?: unknown } | null)?.value === issue.keys[0]);
      const key = pair?.key as YamlNode | undefined;
      if (key?.range) return { offset: key.range[0], missing: false };
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as YamlNode | null | undefined;
    if (node?.range) return { offset: node.range[0], missing: n < path.length };
  }
  return { offset: 0, missing: path.length > 0 };
}

function ruleLines(doc: Document, lc: LineCounter): PolicyLines {
  const lines: PolicyLines = new Map();
  const seqLines = (path: (string | number)[], prefix: string): void => {
    const seq = doc.getIn(path, true);
    if (!isSeq(seq)) return;
    seq.items.forEach((item, i) => {
      const range = (item as YamlNode).range;
      if (range) lines.set(`${prefix}[${i}]`, lc.linePos(range[0]).line);
    });
  };
  seqLines(['ports'], 'ports');
  seqLines(['ignore'], 'ignore');
  const hosts = doc.getIn(['hosts'], true);
  if (isSeq(hosts)) {
    for (const h of hosts.items.keys()) seqLines(['hosts', h, 'ports'], `hosts[${h}].ports`);
  }
  return lines;
}

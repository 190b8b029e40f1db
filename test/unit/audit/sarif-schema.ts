import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * SARIF 2.1.0 checks for tests: the JSON Schema of SARIF 2.1.0 (the schemastore "sarif-2.1.0-rtm.5" schema, a
 * JSON Schema draft-04 document, as shipped in the npm package @microsoft/jest-sarif — read from
 * node_modules, not copied here) run with ajv, plus what a schema cannot say: cross-references (§3.27.6
 * ruleIndex, §3.4.5 artifact index) and what GitHub code scanning needs to show a result (every result placed
 * in a file: a physicalLocation whose relative URI has a uriBaseId; runs[].automationDetails.id).
 */
const require = createRequire(import.meta.url);
const schemaPath = join(dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
// unicodeRegExp off: the schema's `language` pattern has a stray "]" that only the non-unicode RegExp accepts.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

interface Log {
  runs: {
    tool: { driver: { rules?: { id: string }[] } };
    artifacts?: unknown[];
    automationDetails?: { id?: string };
    results?: { ruleId?: string; ruleIndex?: number; locations?: { physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string; index?: number } } }[] }[];
  }[];
}

/** Problems with a SARIF log against the 2.1.0 schema and its cross-references; [] when valid. */
export function sarifProblems(log: unknown): string[] {
  if (!validate(log)) return (validate.errors ?? []).map((e: { instancePath: string; message?: string; keyword: string }) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  const problems: string[] = [];
  for (const [r, run] of (log as Log).runs.entries()) {
    const rules = run.tool.driver.rules ?? [];
    for (const [i, res] of (run.results ?? []).entries()) {
      if (res.ruleIndex !== undefined && res.ruleIndex >= 0 && rules[res.ruleIndex]?.id !== res.ruleId) problems.push(`runs.${r}.results.${i}: ruleIndex ${res.ruleIndex} does not name rule ${res.ruleId}`);
      if (res.ruleId !== undefined && !rules.some((x) => x.id === res.ruleId)) problems.push(`runs.${r}.results.${i}: ruleId ${res.ruleId} not among the driver's rules`);
      for (const loc of res.locations ?? []) {
        const idx = loc.physicalLocation?.artifactLocation?.index;
        if (idx !== undefined && idx >= 0 && !run.artifacts?.[idx]) problems.push(`runs.${r}.results.${i}: artifact index ${idx} has no artifact`);
      }
    }
  }
  return problems;
}

/** What GitHub code scanning needs beyond the schema to show every result; [] when it can. */
export function codeScanningProblems(log: unknown): string[] {
  const problems: string[] = [];
  for (const [r, run] of (log as Log).runs.entries()) {
    if (!run.automationDetails?.id) problems.push(`runs.${r}: no automationDetails.id`);
    for (const [i, res] of (run.results ?? []).entries()) {
      const located = (res.locations ?? []).filter((l) => l.physicalLocation?.artifactLocation?.uri);
      if (located.length === 0) problems.push(`runs.${r}.results.${i}: no physicalLocation with an artifact URI`);
      for (const l of located) {
        const a = l.physicalLocation!.artifactLocation!;
        if (!/^[a-z][a-z0-9+.-]*:/i.test(a.uri!) && !a.uriBaseId) problems.push(`runs.${r}.results.${i}: relative URI "${a.uri}" without uriBaseId`);
      }
    }
  }
  return problems;
}

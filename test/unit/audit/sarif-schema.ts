import { z } from 'zod';

/**
 * The parts of SARIF 2.1.0 (OASIS Standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/sarif-v2.1.0-os.html)
 * that a log with rules, results and locations uses, written from the spec's normative text: required
 * properties, enumerations and value constraints. Strict objects reject properties the spec does not define
 * for that object (§3.8.1 property bags are the place for others, and are allowed where the spec has them).
 * The official JSON schema is not vendored: this machine has no network, and these checks cover every
 * object portscope writes.
 */
const propertyBag = z.record(z.string(), z.unknown()); // §3.8
const message = z.strictObject({ text: z.string().min(1), markdown: z.string().optional(), id: z.string().optional(), arguments: z.array(z.string()).optional(), properties: propertyBag.optional() }); // §3.11 (text or id)
const multiformat = z.strictObject({ text: z.string(), markdown: z.string().optional(), properties: propertyBag.optional() }); // §3.12
const artifactLocation = z.strictObject({ uri: z.string().min(1), uriBaseId: z.string().optional(), index: z.number().int().min(-1).optional(), description: message.optional(), properties: propertyBag.optional() }); // §3.4
const region = z
  .strictObject({ startLine: z.number().int().min(1).optional(), startColumn: z.number().int().min(1).optional(), endLine: z.number().int().min(1).optional(), endColumn: z.number().int().min(1).optional(), charOffset: z.number().int().min(-1).optional(), charLength: z.number().int().min(0).optional(), properties: propertyBag.optional() })
  .refine((r) => r.startLine !== undefined || r.charOffset !== undefined, 'region needs startLine or charOffset (§3.30.2)'); // §3.30
const physicalLocation = z.strictObject({ artifactLocation: artifactLocation.optional(), region: region.optional(), properties: propertyBag.optional() }).refine((p) => p.artifactLocation !== undefined, 'physicalLocation needs artifactLocation (§3.29.2)'); // §3.29
const logicalLocation = z.strictObject({ name: z.string().optional(), fullyQualifiedName: z.string().optional(), decoratedName: z.string().optional(), kind: z.string().optional(), index: z.number().int().min(-1).optional(), parentIndex: z.number().int().min(-1).optional(), properties: propertyBag.optional() }); // §3.33
const location = z.strictObject({ id: z.number().int().min(-1).optional(), physicalLocation: physicalLocation.optional(), logicalLocations: z.array(logicalLocation).optional(), message: message.optional(), properties: propertyBag.optional() }); // §3.28
const level = z.enum(['none', 'note', 'warning', 'error']); // §3.27.10
const reportingDescriptor = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  shortDescription: multiformat.optional(),
  fullDescription: multiformat.optional(),
  help: multiformat.optional(),
  helpUri: z.string().optional(),
  defaultConfiguration: z.strictObject({ enabled: z.boolean().optional(), level: level.optional(), rank: z.number().min(-1).max(100).optional(), properties: propertyBag.optional() }).optional(),
  properties: propertyBag.optional(),
}); // §3.49
const toolComponent = z.strictObject({ name: z.string().min(1), version: z.string().optional(), semanticVersion: z.string().optional(), informationUri: z.string().optional(), rules: z.array(reportingDescriptor).optional(), properties: propertyBag.optional() }); // §3.19
const result = z.strictObject({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().min(-1).optional(),
  kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
  level: level.optional(),
  message, // required, §3.27.11
  locations: z.array(location).optional(),
  partialFingerprints: z.record(z.string(), z.string()).optional(),
  fingerprints: z.record(z.string(), z.string()).optional(),
  properties: propertyBag.optional(),
}); // §3.27
const invocation = z.strictObject({ executionSuccessful: z.boolean(), startTimeUtc: z.string().optional(), endTimeUtc: z.string().optional(), exitCode: z.number().int().optional(), properties: propertyBag.optional() }); // §3.20
const artifact = z.strictObject({ location: artifactLocation.optional(), mimeType: z.string().optional(), properties: propertyBag.optional() }); // §3.24
const run = z.strictObject({ tool: z.strictObject({ driver: toolComponent, extensions: z.array(toolComponent).optional(), properties: propertyBag.optional() }), invocations: z.array(invocation).optional(), artifacts: z.array(artifact).optional(), results: z.array(result).optional(), properties: propertyBag.optional() }); // §3.14
export const sarifLog = z.strictObject({ $schema: z.string().optional(), version: z.literal('2.1.0'), runs: z.array(run), properties: propertyBag.optional() }); // §3.13

/** Problems with a SARIF log, including cross-references (§3.27.6 ruleIndex, §3.4.5 artifact index); [] when valid. */
export function sarifProblems(log: unknown): string[] {
  const parsed = sarifLog.safeParse(log);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const problems: string[] = [];
  for (const [r, run] of parsed.data.runs.entries()) {
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

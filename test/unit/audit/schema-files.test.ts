import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditJsonSchema, policyJsonSchema, schemaText } from '../../../src/audit/json-schemas.js';

// The published schemas are generated from the zod schemas the code validates with. Regenerate after a
// schema change: npx tsc -p tsconfig.json && UPDATE_SCHEMAS=1 node --test dist/test/unit/audit/schema-files.test.js
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url)); // dist/test/unit/audit → repository root

for (const [file, generate] of [
  ['policy.schema.json', policyJsonSchema],
  ['audit.schema.json', auditJsonSchema],
] as const) {
  test(`docs/schema/${file} is current with the zod schema`, () => {
    const path = join(ROOT, 'docs', 'schema', file);
    const expected = schemaText(generate());
    if (process.env.UPDATE_SCHEMAS === '1') writeFileSync(path, expected);
    assert.equal(readFileSync(path, 'utf8'), expected, `${file} is stale: regenerate it (see the comment in this test)`);
  });
}

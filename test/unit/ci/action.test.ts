/**
 * action.yml (the GitHub Action): its inputs are declared where they are used, its SARIF reaches
 * upload-sarif, and its audit step — the step's own bash, run here with the real CLI on PATH — writes SARIF
 * that is valid 2.1.0 and placed for code scanning (policy file relative to %SRCROOT%, automationDetails).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { codeScanningProblems, sarifProblems } from '../audit/sarif-schema.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> }[] };
};

// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression in a test name
test('action.yml is a composite action whose every ${{ inputs.X }} is a declared input', () => {
  assert.equal(action.runs.using, 'composite');
  const text = readFileSync(join(root, 'action.yml'), 'utf8');
  const used = new Set([...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1]!));
  assert.ok(used.size >= 5);
  for (const name of used) assert.ok(name in action.inputs, `inputs.${name} is used but not declared`);
});

test("action.yml uploads the audit step's SARIF file with upload-sarif", () => {
  const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.ok(upload, 'an upload-sarif step');
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
  assert.equal(upload.with?.sarif_file, '${{ steps.audit.outputs.sarif-file }}');
  const audit = action.runs.steps.find((s) => s.id === 'audit');
  assert.match(audit?.run ?? '', /portscope audit .*--format sarif -o "\$sarif"/);
});

test("the action's audit step writes SARIF that code scanning can place, and its outputs", async () => {
  const audit = action.runs.steps.find((s) => s.id === 'audit')!;
  const work = mkdtempSync(join(tmpdir(), 'portscope-action-'));
  // A loopback listener this test owns: the policy allows nothing, so it must be a finding.
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((res) => server.once('listening', res));
  const port = (server.address() as AddressInfo).port;
  try {
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(join(root, 'bin', 'portscope'), join(bin, 'portscope'));
    writeFileSync(join(work, 'portscope-policy.yaml'), 'version: 1\n');
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      RUNNER_TEMP: work,
      GITHUB_OUTPUT: join(work, 'github-output'),
      POLICY: 'portscope-policy.yaml',
      TARGETS: '',
      ARGS: '--no-scan',
      FAIL_ON: 'info',
    };
    const r = spawnSync('bash', ['-c', audit.run!], { cwd: work, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `step failed: ${r.stderr}`);
    const outputs = Object.fromEntries(
      readFileSync(env.GITHUB_OUTPUT, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    assert.deepEqual(outputs, { 'sarif-file': join(work, 'portscope-audit.sarif'), 'exit-code': '1' });
    const log = JSON.parse(readFileSync(outputs['sarif-file']!, 'utf8'));
    assert.deepEqual(sarifProblems(log), []);
    assert.deepEqual(codeScanningProblems(log), []);
    const results = log.runs[0].results as { locations: { physicalLocation: { artifactLocation: unknown }; logicalLocations: { name: string }[] }[] }[];
    assert.ok(
      results.some((res) => res.locations[0]!.logicalLocations[0]!.name === `local:tcp/${port}`),
      `a finding for our listener on ${port}`,
    );
    for (const res of results) assert.deepEqual(res.locations[0]!.physicalLocation.artifactLocation, { uri: 'portscope-policy.yaml', uriBaseId: '%SRCROOT%', index: 0 });
  } finally {
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});

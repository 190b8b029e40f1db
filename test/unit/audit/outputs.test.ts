import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AuditReportSchema } from '../../../src/audit/report-schema.js';
import { FINDING_DOCS } from '../../../src/audit/checks/index.js';
import { renderAuditHtml } from '../../../src/output/audit-html.js';
import { renderAuditJson } from '../../../src/output/audit-json.js';
import { renderAuditJunit } from '../../../src/output/audit-junit.js';
import { renderAuditSarif } from '../../../src/output/audit-sarif.js';
import { renderAuditText } from '../../../src/output/audit-text.js';
import { hostileFinding, report } from './fixtures.js';
import { codeScanningProblems, sarifProblems } from './sarif-schema.js';

const two = report([hostileFinding(), hostileFinding({ id: 'allowed-but-closed:local:tcp/22', type: 'allowed-but-closed', severity: 'medium', port: 22, title: 'tcp/22 closed' })]);

test('SARIF output is valid SARIF 2.1.0: structure, rule references and artifact indices', () => {
  const log = JSON.parse(renderAuditSarif(two, FINDING_DOCS));
  assert.deepEqual(sarifProblems(log), []);
  const results = log.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number }; artifactLocation: { uri: string } } }[] }[];
  assert.deepEqual(
    results.map((r) => [r.ruleId, r.level]),
    [
      ['open-not-allowed', 'error'],
      ['allowed-but-closed', 'warning'],
    ],
  );
  assert.equal(results[0]!.locations[0]!.physicalLocation.region.startLine, 7);
  assert.equal(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'policies/my%20policy.yaml');
});

test('SARIF results are placed for GitHub code scanning: the policy file relative to %SRCROOT%, and automationDetails', () => {
  const log = JSON.parse(renderAuditSarif(two, FINDING_DOCS));
  assert.deepEqual(codeScanningProblems(log), []);
  assert.deepEqual(log.runs[0].automationDetails, { id: 'portscope/audit/policies/my%20policy.yaml/' });
  for (const r of log.runs[0].results) assert.deepEqual(r.locations[0].physicalLocation.artifactLocation, { uri: 'policies/my%20policy.yaml', uriBaseId: '%SRCROOT%', index: 0 });
  assert.deepEqual(log.runs[0].artifacts, [{ location: { uri: 'policies/my%20policy.yaml', uriBaseId: '%SRCROOT%' } }]);
});

test('a policy path given as ./x or absolute becomes a normalised relative URI or an absolute file URI', () => {
  const dot = JSON.parse(renderAuditSarif(report([hostileFinding()], { policy: { path: './ci/../policy.yaml' } }), FINDING_DOCS));
  assert.deepEqual(dot.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'policy.yaml', uriBaseId: '%SRCROOT%', index: 0 });
  const abs = JSON.parse(renderAuditSarif(report([hostileFinding()], { policy: { path: '/etc/portscope/policy #1.yaml' } }), FINDING_DOCS));
  assert.deepEqual(abs.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'file:///etc/portscope/policy%20%231.yaml', index: 0 });
  assert.deepEqual([...sarifProblems(dot), ...sarifProblems(abs), ...codeScanningProblems(dot), ...codeScanningProblems(abs)], []);
});

test('the SARIF checks themselves reject a log that breaks the schema or that code scanning cannot place', () => {
  assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }] }), []); // no message
  assert.notDeepEqual(sarifProblems({ version: '2.0.0', runs: [] }), []);
  assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'a' }] } }, results: [{ ruleId: 'b', ruleIndex: 0, message: { text: 't' } }] }] }), []);
  assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 't' }, level: 'fatal' }] }] }), []);
  assert.notDeepEqual(sarifProblems({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, unknownProperty: 1 }] }), []);
  const unplaced = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 't' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'p.yaml' } } }] }] }] };
  assert.deepEqual(sarifProblems(unplaced), []);
  assert.deepEqual(codeScanningProblems(unplaced), ['runs.0: no automationDetails.id', 'runs.0.results.0: relative URI "p.yaml" without uriBaseId']);
});

test('SARIF without a policy file points every result at the policy file to create, and stays valid', () => {
  const log = JSON.parse(renderAuditSarif(report([hostileFinding()], { policy: { path: null } }), FINDING_DOCS));
  assert.deepEqual(sarifProblems(log), []);
  assert.deepEqual(codeScanningProblems(log), []);
  assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation, { artifactLocation: { uri: 'portscope-policy.yaml', uriBaseId: '%SRCROOT%', index: 0 }, region: { startLine: 1 } });
  assert.equal(log.runs[0].automationDetails.id, 'portscope/audit/no-policy/');
  assert.equal(log.runs[0].results[0].locations[0].logicalLocations[0].name, 'local:tcp/8080');
});

test('JUnit XML is well-formed, with one failure per finding at or above --fail-on', () => {
  const xml = renderAuditJunit(two);
  assert.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'testsuite' }).parse(xml);
  assert.equal(doc.testsuites['@_failures'], '2');
  const cases = doc.testsuites.testsuite[0].testcase as { failure?: unknown }[];
  assert.equal(cases.length, 2);
  const high = renderAuditJunit({ ...two, summary: { ...two.summary, failOn: 'high' } });
  assert.equal(XMLValidator.validate(high), true);
  assert.match(high, /failures="1"/);
});

test('JUnit XML of a clean audit has one passing test case per host', () => {
  const xml = renderAuditJunit(report([]));
  assert.equal(XMLValidator.validate(xml), true);
  assert.match(xml, /<testcase classname="portscope\.audit\.local" name="no findings"\/>/);
  assert.match(xml, /failures="0"/);
});

test('HTML escapes every string from the report: no markup from findings reaches the page', () => {
  const html = renderAuditHtml(two, FINDING_DOCS);
  assert.ok(!html.includes('<script'), 'no script element');
  assert.ok(!html.includes('<b>exception'), 'reason escaped');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;'));
  assert.ok(!/\b(src|href)=/.test(html), 'no external assets or links');
  assert.match(html, /<style>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
});

test('the JSON output round-trips through the report schema', () => {
  const parsed = AuditReportSchema.parse(JSON.parse(renderAuditJson(two)));
  assert.deepEqual(parsed, two);
});

test('the text report lists findings with evidence, expired ignores, limits and the verdict', () => {
  const text = renderAuditText(two);
  assert.match(text, /\[HIGH\] open-not-allowed: tcp\/8080/);
  assert.match(text, /scan {5}192\.0\.2\.2 tcp\/8080 open \(syn-ack\)/);
  assert.match(text, /policy {3}ports\[1\] \(line 7\): to loopback/);
  assert.match(text, /ignore\[0\] \(line 12\): expired 2020-01-01/);
  assert.match(text, /2 findings \(1 high, 1 medium\); fail on low and above: FAILED\n$/);
});

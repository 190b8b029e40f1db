import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { createLab } from '../helpers/netlab/index.js';
import { describeRun, scanCli, tempDir } from './support/cli.js';
import { readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';
import { assertMatchesTruth } from './support/truth-assert.js';

const PORTS = '6000-6099';

test('a host that answers on every port is flagged wildcard in JSON, XML and normal output; a normal host is not', labTestOptions(), async () => {
  assertLabAvailable();
  const lab = await createLab({ icmpRateLimit: 'off' });
  const tmp = tempDir();
  try {
    await lab.listen([9999, 6001]);
    const scanTo = (name: string) => scanCli(lab, ['-Pn', '-n', '-p', PORTS, '-oJ', tmp.file(`${name}.json`), '-oX', tmp.file(`${name}.xml`), lab.target.v4]);

    const plain = await scanTo('plain');
    assert.equal(plain.code, 0, describeRun(plain));
    const [plainHost] = readJsonHosts(readFileSync(tmp.file('plain.json'), 'utf8'));
    assert.ok(plainHost);
    assert.equal(plainHost.wildcard, undefined);
    assert.doesNotMatch(plain.stdout, /wildcard/i);

    // nat prerouting `tcp dport 1-65535 redirect to :9999`: every port connects to the listener on 9999.
    await lab.redirectAllPorts(9999);
    const r = await scanTo('wild');
    assert.equal(r.code, 0, describeRun(r));
    const truth = lab.truth(PORTS);
    assert.ok([...truth.values()].every((t) => t.state === 'open'));
    const [host] = readJsonHosts(readFileSync(tmp.file('wild.json'), 'utf8'));
    assert.ok(host);
    assertMatchesTruth(host.ports, truth, 'wildcard JSON');
    assert.ok(host.wildcard, 'JSON host has a wildcard field');
    assert.equal(host.wildcard.open, 100);
    assert.equal(host.wildcard.probed, 100);
    assert.match(r.stdout, /^Wildcard host: 100 of 100 probed ports answered open/m);
    assert.ok(r.stdout.split('\n').length < 30, `normal output is not flooded with open ports:\n${r.stdout}`);
    const [xmlHost] = readXmlHosts(readFileSync(tmp.file('wild.xml'), 'utf8'));
    assert.ok(xmlHost);
    assert.match(xmlHost.comment ?? '', /wildcard host/);
    assertMatchesTruth(xmlHost.ports, truth, 'wildcard XML');
  } finally {
    await lab.close();
    tmp.remove();
  }
});

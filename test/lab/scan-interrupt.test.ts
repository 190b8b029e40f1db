import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertLabAvailable, labTestOptions } from '../helpers/lab-gate.js';
import { collect, createLab, run } from '../helpers/netlab/index.js';
import { describeRun, PORTSCOPE, tempDir } from './support/cli.js';
import { readJsonDoc, readJsonHosts } from './support/read-json.js';
import { readXmlHosts } from './support/read-xml.js';
import { assertMatchesTruth } from './support/truth-assert.js';

// A slow scan (-T2: one probe at a time, 0.4 s apart; -r: in port order) of two open ports followed by many
// dropped ones, interrupted once both open ports were announced: every output file must still be complete.
const PORTS = '4990-5200';

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} mid-scan exits ${code} and leaves every output file complete and valid`, labTestOptions(), async () => {
    assertLabAvailable();
    const lab = await createLab({ icmpRateLimit: 'off', firewall: { drop: Array.from({ length: 201 }, (_, i) => 5000 + i) } });
    const tmp = tempDir();
    try {
      await lab.listen([4990, 4991]);
      const files = { xml: tmp.file('i.xml'), json: tmp.file('i.json'), gnmap: tmp.file('i.gnmap'), normal: tmp.file('i.nmap') };
      const child = lab.spawnInScanner(process.execPath, [PORTSCOPE, 'scan', '-T2', '-r', '-v', '-Pn', '-n', '-p', PORTS, '-oX', files.xml, '-oJ', files.json, '-oG', files.gnmap, '-oN', files.normal, lab.target.v4]);
      const done = collect(child, performance.now(), { timeoutMs: 60_000 });
      // Wait for the event, not for a time: the second open port's announcement on stdout.
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (d: Buffer | string) => {
          out += d.toString();
          if (/Discovered open port 4991\/tcp/.test(out)) resolve();
        });
        child.once('exit', () => reject(new Error(`scan ended before it was interrupted:\n${out}`)));
      });
      child.kill(signal);
      const r = await done;
      assert.equal(r.code, code, describeRun(r));
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);

      const xml = readFileSync(files.xml, 'utf8');
      const lint = await run('xmllint', ['--noout', '--dtdvalid', '/usr/share/nmap/nmap.dtd', files.xml]);
      assert.equal(lint.code, 0, lint.stderr);
      assert.match(xml, /<finished [^>]*exit="error"[^>]*errormsg="[^"]*Interrupted[^"]*"/);
      assert.match(xml, /<\/nmaprun>\s*$/);
      const truth = lab.truth(PORTS);
      const [xmlHost] = readXmlHosts(xml);
      assert.ok(xmlHost, 'the interrupted host is in the XML');
      assert.equal(xmlHost.ports.get(4990)?.state, 'open');
      assert.equal(xmlHost.ports.get(4991)?.state, 'open');
      assertMatchesTruth(xmlHost.ports, truth, 'partial XML', { partial: true });

      const jsonText = readFileSync(files.json, 'utf8');
      const doc = readJsonDoc(jsonText);
      assert.equal(doc.summary.interrupted, true);
      const [jsonHost] = readJsonHosts(jsonText);
      assert.ok(jsonHost);
      assert.equal(jsonHost.complete, false);
      assert.ok(jsonHost.ports.size < truth.size, 'the scan really was cut short');
      assertMatchesTruth(jsonHost.ports, truth, 'partial JSON', { partial: true });

      const gnmap = readFileSync(files.gnmap, 'utf8');
      assert.match(gnmap, /4990\/open\/tcp/);
      assert.match(gnmap, /^# portscope done at .*\n$/m);
      const normal = readFileSync(files.normal, 'utf8');
      assert.match(normal, /^4991\/tcp\s+open/m);
      assert.match(normal, /interrupted/i);
      assert.match(normal, /^# portscope done at .*\n$/m);
    } finally {
      await lab.close();
      tmp.remove();
    }
  });
}

import { test } from 'node:test';
import { excludePorts, parsePortSpec, topPorts } from '../../../src/ports/index.js';
import { label, naughtyInputs, parsesOrRefuses } from '../targets/naughty-inputs.js';

for (const input of naughtyInputs()) {
  test(`port parsing of ${label(input)} parses or throws a PortscopeError`, async () => {
    await parsesOrRefuses(() => parsePortSpec(input, ['tcp']));
    await parsesOrRefuses(() => parsePortSpec(input, ['tcp', 'udp']));
    await parsesOrRefuses(() => excludePorts({ tcp: [22, 80], udp: [53] }, input));
    await parsesOrRefuses(() => topPorts(Number(input), 'tcp'));
  });
}

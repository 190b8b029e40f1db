/**
 * A blank-lines probe: text protocols that wait for a command usually answer an empty one with an error
 * line, which some matchers (HTTP's 400 page, for one) recognise.
 */
import type { ServiceModule } from '../types.js';

export const generic: ServiceModule = {
  name: 'generic',
  probes: [{ name: 'GenericLines', rarity: 1, ports: [], payload: Buffer.from('\r\n\r\n') }],
  matchers: [],
};

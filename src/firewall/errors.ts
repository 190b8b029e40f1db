import { PortscopeError } from '../model/index.js';

/** A ruleset we cannot read (malformed JSON or save file), or a firewall tool that failed. */
export class RulesetError extends PortscopeError {
  constructor(message: string) {
    super('E_RULESET', message);
  }
}

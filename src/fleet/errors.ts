import { PortscopeError } from '../model/index.js';

/** A distributed-scan problem a person must act on (no such scan, another version's queue, not PostgreSQL). */
export class FleetError extends PortscopeError {
  constructor(message: string) {
    super('E_FLEET', message);
  }
}

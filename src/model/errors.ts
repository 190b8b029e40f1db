/**
 * One error class per domain, each with a stable `code`. Messages are written for a person and name the
 * offending input; the CLI prints `portscope: <message>` and exits 2, never a stack trace.
 */
export class PortscopeError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A malformed target specification (address, CIDR, range, name, -iL line, exclusion). */
export class TargetSpecError extends PortscopeError {
  constructor(message: string) {
    super('E_TARGET', message);
  }
}

/** A malformed port specification (-p, --top-ports, --exclude-ports). */
export class PortSpecError extends PortscopeError {
  constructor(message: string) {
    super('E_PORT_SPEC', message);
  }
}

/** A malformed or contradictory option. */
export class OptionError extends PortscopeError {
  constructor(message: string) {
    super('E_OPTION', message);
  }
}

/** A file the user named cannot be read or written. */
export class FileError extends PortscopeError {
  constructor(message: string) {
    super('E_FILE', message);
  }
}

/** A malformed input document (XML, JSON) the user gave us. */
export class ParseError extends PortscopeError {
  constructor(message: string) {
    super('E_PARSE', message);
  }
}

/** Port specs (nmap -p syntax), the top-ports ranking and port → service names. */
export { parsePortSpec, excludePorts, type PortSelection } from './spec.js';
export { topPorts } from './top.js';
export { serviceName, serviceNamer } from './services.js';
export { formatPortRanges } from './format.js';

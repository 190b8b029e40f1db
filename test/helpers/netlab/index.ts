/**
 * The network-namespace test lab (used by test/lab and bench/). See lab.ts for the topology, firewall.ts
 * for the firewall plan and truth.ts for what a connect scan must report.
 */
export { createLab, Lab, type LabOptions, type LabTarget, type Listener, type ListenOptions } from './lab.js';
export type { FirewallPlan } from './firewall.js';
export { matchesTruth, type Truth, type TruthState } from './truth.js';
export { collect, run, type RunOptions, type RunResult } from './exec.js';
export { compactPorts, expandPorts, type PortList } from './ports.js';
export { sweepStaleNamespaces } from './namespaces.js';
export { createManyHostLab, manyTruth, MANY_PORTS, type ManyHostLab } from './many-hosts.js';

/** portscope's library API. */
export { scan, type ScanOptions, type ScanRun, type BackendChoice } from './api/scan.js';
export type { TimingOptions } from './engine/timing.js';
export * from './model/index.js';
export { formats } from './output/index.js';
export type { OutputOptions, OutputWriter, OutputFactory } from './output/types.js';
export { VERSION } from './version.js';
export { listening, type ListeningOptions } from './api/listening.js';

/** `portscope/import`: nmap/portscope files into the history (a subset of src/index.ts). */
export { importScans, type ImportOptions } from '../api/import.js';
export * from '../model/index.js';

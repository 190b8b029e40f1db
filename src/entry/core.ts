/** `portscope/core`: the shared types, error classes and version, with nothing to load (a subset of src/index.ts). */
export * from '../model/index.js';
export { VERSION } from '../version.js';

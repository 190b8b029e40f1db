/** `portscope/watch`: scheduled rescans with change reports (a subset of src/index.ts). */
export { redactUrl, watch, type WatchOptions, type WatchRound } from '../api/watch.js';
export * from '../model/index.js';
export { diffJsonDocument } from '../output/diff-json.js';
export { formatDiffText } from '../output/diff-text.js';

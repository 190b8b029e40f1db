/** `portscope/firewall`: explain and close (a subset of src/index.ts), without the scan engine, store or audit. */
export * from '../model/index.js';
export { explain, type ExplainOptions, type ExplainResult, type ExplainedPort } from '../api/explain.js';
export { close, type CloseOptions } from '../api/close.js';
export { renderExplainText, renderExplainJson } from '../output/explain-render.js';
export { RulesetError } from '../firewall/index.js';
export { parsePortSpec } from '../ports/spec.js';
export { oneLine } from '../output/text.js';

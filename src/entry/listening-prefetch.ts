/**
 * `listening`'s early fd walk (api/listening-prefetch.ts), on its own so that the CLI can start it before it
 * loads the rest of `listening` (entry/listening.ts brings the whole reader, formats and model).
 */
export { prefetchListening } from '../api/listening-prefetch.js';

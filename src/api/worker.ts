/** `portscope worker` as a library call: take shards until `signal` aborts (docs/fleet.md). */
export { runWorker, type WorkerOptions } from '../fleet/worker.js';

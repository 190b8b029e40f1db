import { OUTCOME_DRY, type BackendFactory } from './backend.js';

/**
 * Sends nothing: every probe is answered at once with OUTCOME_DRY. Drives the whole engine (targets, order,
 * retries, outputs) without a network, for --dry-run, unit tests and the memory benchmark.
 */
export const dryBackend: BackendFactory = (onOutcomes) => {
  let closed = false;
  let pending: { ids: Uint32Array; n: number }[] = [];
  let queued = false;
  const flush = (): void => {
    queued = false;
    if (closed) return;
    const batches = pending;
    pending = [];
    for (const b of batches) {
      onOutcomes(b.ids, new Int32Array(b.n).fill(OUTCOME_DRY), new Uint32Array(b.n));
      if (closed) return;
    }
  };
  return {
    name: 'dry',
    submit(_address, ids) {
      if (closed) return;
      pending.push({ ids: ids.slice(), n: ids.length });
      if (!queued) {
        queued = true;
        setImmediate(flush);
      }
    },
    close() {
      closed = true;
    },
  };
};

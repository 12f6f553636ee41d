// Work split across worker threads in contiguous slices: used by the check and the published load, which read
// and validate every record and scale with the cores.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many items one thread is faster than starting workers (each compiles the schemas again). */
export const parallelThreshold = 2000;

/** Threads to use for `count` items: `requested`, or one per core up to 4 (1 below the threshold). */
export function threadsFor(count: number, requested?: number): number {
  return Math.max(1, requested ?? (count < parallelThreshold ? 1 : Math.min(availableParallelism(), 4)));
}

/**
 * Runs `worker` (a module that answers its workerData `{...data, items}` with one message) on `threads`
 * contiguous slices of `items`, and returns the answers in slice order.
 */
export function inSlices<T, R>(
  worker: URL,
  items: readonly T[],
  threads: number,
  data: Record<string, unknown>,
): Promise<R[]> {
  const size = Math.ceil(items.length / threads);
  return Promise.all(
    Array.from(
      { length: threads },
      (_, i) =>
        new Promise<R>((resolve, reject) => {
          const thread = new Worker(worker, { workerData: { ...data, items: items.slice(i * size, (i + 1) * size) } });
          thread.once('message', resolve);
          thread.once('error', reject);
          thread.once('exit', (code) =>
            reject(new Error(`a catalogue worker thread stopped (exit ${code}) before it answered`)),
          );
        }),
    ),
  );
}

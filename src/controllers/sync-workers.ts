// The worker loop the workload controllers share: keys from the queue go to the controller's sync;
// a 409 Conflict only means the cache is behind our own last write, so that key is looked at
// again shortly without the error log and backoff real failures get.
import type { WorkQueue } from '../client/index.js';
import { isConflict } from './api-error-text.js';

const conflictRetryMs = 50;

export function runSyncWorkers(queue: WorkQueue<string>, workers: number, sync: (key: string) => Promise<void>, signal: AbortSignal): Promise<void> {
  return queue.run(
    workers,
    async (key) => {
      try {
        await sync(key);
      } catch (err) {
        if (!isConflict(err)) throw err;
        queue.addAfter(key, conflictRetryMs);
      }
    },
    signal,
  );
}

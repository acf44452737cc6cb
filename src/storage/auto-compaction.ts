// Keeps a backend's history bounded: every interval, compacts to `current - keepRevisions`,
// as kube-apiserver asks etcd to (and kine does for itself), so watches can still resume from
// a recent resourceVersion while old revisions stop piling up.
import type { StorageBackend } from './backend.js';

export interface AutoCompactionOptions {
  /** Default: 5 minutes. */
  readonly intervalMs?: number;
  /** Revisions kept below the current one. Default: 1000. */
  readonly keepRevisions?: number;
  /** Told about a failed round; the next round still runs. */
  readonly onError?: (error: unknown) => void;
}

/** Compacts on a timer until `signal` aborts; resolves once the timer is stopped. */
export function startAutoCompaction(
  backend: StorageBackend,
  options: AutoCompactionOptions,
  signal: AbortSignal,
): Promise<void> {
  const intervalMs = options.intervalMs ?? 5 * 60 * 1000;
  const keepRevisions = options.keepRevisions ?? 1000;
  return new Promise((resolve) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      compactOnce(backend, keepRevisions)
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          running = false;
        });
    }, intervalMs);
    // Compaction is housekeeping: it must never be what keeps the process alive.
    timer.unref();
    const stop = (): void => {
      clearInterval(timer);
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}

/** One round: returns the revision compacted to, or undefined when nothing was due. */
export async function compactOnce(backend: StorageBackend, keepRevisions: number): Promise<number | undefined> {
  const target = (await backend.currentRevision()) - keepRevisions;
  if (target <= (await backend.compactRevision())) return undefined;
  await backend.compact(target);
  return target;
}

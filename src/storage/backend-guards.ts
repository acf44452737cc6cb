// Checks both synchronous backends (SQLite and in-memory) make before they touch data, and the
// one way they turn a synchronous step into the promise the StorageBackend contract returns.
import { CompactedError, StorageError } from './backend.js';

/** The revision a read runs at: `requested`, or the current one for 0/absent. */
export function resolveReadRevision(requested: number | undefined, current: number, compacted: number): number {
  if (requested === undefined || requested === 0) return current;
  if (requested < compacted) throw new CompactedError(requested, compacted);
  if (requested > current) {
    throw new StorageError(`required revision ${requested} is a future revision (current ${current})`);
  }
  return requested;
}

/** Whether compacting at `revision` has anything to do; throws for a revision not yet written. */
export function compactionDue(revision: number, current: number, compacted: number): boolean {
  if (revision <= compacted) return false;
  if (revision > current) {
    throw new StorageError(`cannot compact at revision ${revision}: current revision is ${current}`);
  }
  return true;
}

export function assertOpen(closed: boolean): void {
  if (closed) throw new StorageError('storage backend is closed');
}

/** Runs a step on an open backend (synchronous, or ending in a promise), settling a promise with its outcome. */
export function runStep<T>(closed: boolean, step: () => T | Promise<T>): Promise<T> {
  try {
    assertOpen(closed);
    return Promise.resolve(step());
  } catch (error: unknown) {
    return Promise.reject(error instanceof Error ? error : new StorageError(String(error)));
  }
}

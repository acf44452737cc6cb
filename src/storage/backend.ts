// The etcd-shaped storage interface every backend implements (sqlite by default, etcd later).
// Keys are `/registry/<group>/<resource>/<namespace>/<name>`; values are opaque strings (JSON).
// One global revision counter; an object's resourceVersion is its modRevision.

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision at which the key was (last) created. */
  readonly createRevision: number;
  /** Revision of the write that produced this value. */
  readonly modRevision: number;
}

export interface ListOptions {
  /** Read as of this revision (0 or absent: current). Older than the compacted revision: CompactedError. */
  readonly revision?: number;
  /** At most this many items (0 or absent: all). */
  readonly limit?: number;
  /** Only keys strictly greater than this one (continuation of a paged list). */
  readonly startAfter?: string;
}

export interface ListResult {
  readonly items: KeyValue[];
  /** The revision the list was read at. */
  readonly revision: number;
  /** Keys under the prefix after the last item returned (0 when the list is complete). */
  readonly remaining: number;
}

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  /** For put: the new value. For delete: the key with the deletion's revision as modRevision and the last value. */
  readonly kv: KeyValue;
  /** The value before this event, when there was one. */
  readonly prevKv?: KeyValue;
  readonly revision: number;
}

export interface Watcher {
  /** Stops delivery; no callback runs after it returns. */
  close(): void;
}

export interface StorageBackend {
  readonly name: string;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  count(prefix: string): Promise<number>;
  /** Fails with KeyExistsError when the key exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Fails with ConflictError when the key's modRevision is not expectedModRevision, KeyNotFoundError when absent. */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /** Deletes; with expectedModRevision, fails with ConflictError on a mismatch. Returns the last value with the delete's revision as modRevision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Delivers, in revision order, every event under the prefix with revision > afterRevision,
   * in batches. Fails with CompactedError when afterRevision < compactRevision.
   */
  watch(prefix: string, afterRevision: number, onEvents: (events: readonly WatchEvent[]) => void): Watcher;
  currentRevision(): Promise<number>;
  compactRevision(): Promise<number>;
  /** Removes superseded history at or below the revision. */
  compact(revision: number): Promise<void>;
  /**
   * Keeps history bounded until the signal aborts, in the way that fits the backend (a timer for
   * SQLite, kube-apiserver's guarded rounds for an etcd that several servers share); resolves once
   * stopped. Failed rounds go to onError and the next round still runs.
   */
  startCompaction(signal: AbortSignal, onError: (error: unknown) => void): Promise<void>;
  close(): Promise<void>;
}

export class StorageError extends Error {}
export class KeyExistsError extends StorageError {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}
export class KeyNotFoundError extends StorageError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}
export class ConflictError extends StorageError {
  constructor(
    readonly key: string,
    readonly actualModRevision: number,
  ) {
    super(`revision conflict on ${key}: now at ${actualModRevision}`);
  }
}
export class CompactedError extends StorageError {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted at ${compacted})`);
  }
}

// Wraps any StorageBackend so each call reports its operation, key and duration: how the API
// server's storage latency metric covers every backend (sqlite, etcd) without touching them.
import type { KeyValue, ListOptions, ListResult, StorageBackend, WatchEvent, Watcher } from './backend.js';

export type StorageObserver = (operation: string, key: string, seconds: number) => void;

export function instrumentBackend(backend: StorageBackend, observe: StorageObserver): StorageBackend {
  async function timed<T>(operation: string, key: string, call: Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await call;
    } finally {
      observe(operation, key, (performance.now() - start) / 1000);
    }
  }
  return {
    name: backend.name,
    get: (key: string): Promise<KeyValue | undefined> => timed('get', key, backend.get(key)),
    list: (prefix: string, options?: ListOptions): Promise<ListResult> => timed('list', prefix, backend.list(prefix, options)),
    count: (prefix: string): Promise<number> => timed('count', prefix, backend.count(prefix)),
    create: (key: string, value: string): Promise<KeyValue> => timed('create', key, backend.create(key, value)),
    update: (key: string, value: string, expected: number): Promise<KeyValue> => timed('update', key, backend.update(key, value, expected)),
    delete: (key: string, expected?: number): Promise<KeyValue> => timed('delete', key, backend.delete(key, expected)),
    watch: (prefix: string, after: number, onEvents: (events: readonly WatchEvent[]) => void): Watcher => backend.watch(prefix, after, onEvents),
    currentRevision: (): Promise<number> => timed('currentRevision', '', backend.currentRevision()),
    compactRevision: (): Promise<number> => timed('compactRevision', '', backend.compactRevision()),
    compact: (revision: number): Promise<void> => timed('compact', '', backend.compact(revision)),
    // Compaction calls the inner backend, so its rounds are not counted as requests.
    startCompaction: (signal: AbortSignal, onError: (error: unknown) => void): Promise<void> => backend.startCompaction(signal, onError),
    close: (): Promise<void> => backend.close(),
  };
}

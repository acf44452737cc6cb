// Public entry of the storage layer: the backend contract, the registry that opens a backend
// by name, the in-memory backend for tests, and automatic compaction.
import './sqlite/index.js';
import './etcd/index.js';

export * from './backend.js';
export { openBackend, registerBackend, isBackendName, type BackendName, type BackendOptions } from './backend-registry.js';
export { openSqliteBackend, type SqliteBackendOptions } from './sqlite/index.js';
export { EtcdBackend, parseEndpoints, startEtcdCompactor, type EtcdBackendOptions } from './etcd/index.js';
export { createMemoryBackend } from './memory-backend.js';
export { startAutoCompaction, type AutoCompactionOptions } from './auto-compaction.js';
export { instrumentBackend, type StorageObserver } from './instrumented-backend.js';

// The etcd backend's public entry; importing it registers the backend as "etcd".
import { registerBackend } from '../backend-registry.js';
import { EtcdBackend } from './etcd-backend.js';

export { EtcdBackend, type EtcdBackendOptions } from './etcd-backend.js';
export { parseEndpoints } from './etcd-client.js';
export { startEtcdCompactor, compactRound, COMPACT_GUARD_KEY, type EtcdCompactorOptions } from './etcd-compactor.js';

registerBackend('etcd', (options) => EtcdBackend.open(options));

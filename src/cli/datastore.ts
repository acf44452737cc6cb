// Opens the server's datastore: SQLite in the data dir, or etcd when --datastore-endpoint is
// given, and starts the automatic compaction that fits it (kube-apiserver's guarded rounds on
// etcd, which several servers share). Failures become one-line CLI errors with a hint.
import { join } from 'node:path';
import { openBackend, startAutoCompaction, startEtcdCompactor, EtcdBackend, type StorageBackend } from '../storage/index.js';
import { CliError } from './cli-error.js';
import { log } from '../log/index.js';

const onError = (e: unknown): void => log.error('Compaction failed', e);

export async function openDatastore(dataDir: string, etcdEndpoints: string[] | undefined, signal: AbortSignal): Promise<StorageBackend> {
  if (etcdEndpoints !== undefined) {
    const backend = await openBackend('etcd', {
      endpoints: etcdEndpoints,
      onWatchError: (error) => log.error('etcd watch failed', error),
    }).catch((err: unknown) => {
      throw new CliError(
        `cannot open the etcd datastore: ${err instanceof Error ? err.message : String(err)}`,
        'is etcd running and listening there? check --datastore-endpoint',
      );
    });
    if (backend instanceof EtcdBackend) void startEtcdCompactor(backend, { onError }, signal);
    return backend;
  }
  const backend = await openBackend('sqlite', { file: join(dataDir, 'server', 'db', 'state.db') }).catch((err: unknown) => {
    throw new CliError(
      `cannot open the datastore in ${dataDir}: ${err instanceof Error ? err.message : String(err)}`,
      'is another skiff server using this --data-dir?',
    );
  });
  void startAutoCompaction(backend, { onError }, signal);
  return backend;
}

// Storage as a server component: SQLite in the data dir, or etcd with --datastore-endpoint, with
// the compaction its backend wants, its latency in the API server's metrics, and a health check
// named after it (`[+]sqlite ok`, `[+]etcd ok`; `kubectl get cs` lists it as sqlite-0 or etcd-0).
import { resources } from '../../api/index.js';
import { storageType, resourcePrefix } from '../../apiserver/index.js';
import { whenAborted, type Component } from '../../component/index.js';
import { log } from '../../log/index.js';
import { instrumentBackend, openBackend, type StorageBackend } from '../../storage/index.js';
import { CliError } from '../cli-error.js';
import type { ServerDeps } from './server-deps.js';
import { errorMessage } from '../../lang/index.js';
import { dataDirLayout } from '../../files/index.js';

/** As kube-apiserver's etcd check: a datastore slower than this to answer is unhealthy. */
const healthTimeoutMs = 2000;

export const storageComponent: Component<ServerDeps> = {
  name: 'storage',
  async start(signal, { flags, metrics, provided }) {
    const store = await openDatastore(flags.dataDir, flags.etcdEndpoints);
    const compaction = store.startCompaction(signal, (e) => log.error('Compaction failed', e));
    const backend = instrumentBackend(store, (operation, key, seconds) => metrics.observeStorage(operation, storageType(key), seconds));
    const prefixes = [...new Set(resources.map((r) => resourcePrefix(r.storage)))];
    metrics.countObjectsWith(async () => new Map(await Promise.all(prefixes.map(async (p) => [storageType(p), await store.count(p)] as const))));
    provided.provide('backend', backend);
    const stopped = whenAborted(signal)
      .then(() => compaction)
      .then(() => backend.close());
    const check = { name: store.name, componentStatus: `${store.name}-0`, check: () => answers(store) };
    return { checks: [{ ...check, endpoints: ['healthz', 'livez', 'readyz'] }], stopped };
  },
};

async function answers(store: StorageBackend): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${healthTimeoutMs / 1000}s`)), healthTimeoutMs)));
  try {
    await Promise.race([store.currentRevision(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the datastore; failures become one-line CLI errors with a hint. */
async function openDatastore(dataDir: string, etcdEndpoints: string[] | undefined): Promise<StorageBackend> {
  if (etcdEndpoints !== undefined) {
    return openBackend('etcd', { endpoints: etcdEndpoints, onWatchError: (error) => log.error('etcd watch failed', error) }).catch((err: unknown) => {
      throw new CliError(`cannot open the etcd datastore: ${errorMessage(err)}`, 'is etcd running and listening there? check --datastore-endpoint');
    });
  }
  return openBackend('sqlite', { file: dataDirLayout(dataDir).sqliteFile }).catch((err: unknown) => {
    throw new CliError(`cannot open the datastore in ${dataDir}: ${errorMessage(err)}`, 'is another skiff server using this --data-dir?');
  });
}

// Storage backends register an opener under their name; `skiff server --storage <name>` picks
// one at start. Each backend declares its options in BackendOptions so callers stay type-checked.
import { StorageError, type StorageBackend } from './backend.js';
import type { SqliteBackendOptions } from './sqlite/sqlite-backend.js';
import type { EtcdBackendOptions } from './etcd/etcd-backend.js';

/** Options per backend name; a new backend adds its entry here. */
export interface BackendOptions {
  sqlite: SqliteBackendOptions & {
    /** Path of the database file; its directory is created if missing. */
    readonly file: string;
  };
  etcd: EtcdBackendOptions;
}

export type BackendName = keyof BackendOptions;

type BackendOpener<N extends BackendName> = (options: BackendOptions[N]) => Promise<StorageBackend>;

const openers = new Map<string, (options: never) => Promise<StorageBackend>>();

export function registerBackend<N extends BackendName>(name: N, open: BackendOpener<N>): void {
  openers.set(name, open);
}

export function isBackendName(name: string): name is BackendName {
  return openers.has(name);
}

export function openBackend<N extends BackendName>(name: N, options: BackendOptions[N]): Promise<StorageBackend> {
  const open = openers.get(name) as BackendOpener<N> | undefined;
  if (open === undefined) {
    return Promise.reject(
      new StorageError(`unknown storage backend "${name}" (known: ${[...openers.keys()].join(', ')})`),
    );
  }
  return open(options);
}

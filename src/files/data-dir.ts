// Where Skiff keeps its files on a host: the default data dir and admin kubeconfig, and the layout
// under the data dir (`server/db`, `server/tls`, `bin`; the agent's dirs come here next), so every
// component names a path the same way.
import { join } from 'node:path';

export const defaultDataDir = '/var/lib/skiff';
export const defaultKubeconfigPath = '/etc/skiff/skiff.yaml';

/** The paths under a data dir. */
export interface DataDirLayout {
  readonly root: string;
  /** The SQLite datastore's directory and file. */
  readonly serverDb: string;
  readonly sqliteFile: string;
  /** The cluster CA, serving and admin certificates. */
  readonly serverTls: string;
  /** The static admin token. */
  readonly serverToken: string;
  /** kubectl and helm, unpacked on first use. */
  readonly bin: string;
}

export function dataDirLayout(root: string): DataDirLayout {
  const serverDb = join(root, 'server', 'db');
  return {
    root,
    serverDb,
    sqliteFile: join(serverDb, 'state.db'),
    serverTls: join(root, 'server', 'tls'),
    serverToken: join(root, 'server', 'token'),
    bin: join(root, 'bin'),
  };
}

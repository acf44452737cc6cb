// The API server as a server component: serves HTTPS on --https-listen-port, writes the admin
// kubeconfig once it does, and gives the process's other components their way in: clients over
// an in-process connection and one shared set of informers.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiServer, createHttpServer, createLocalHttpServer, connectInProcess } from '../../apiserver/index.js';
import { ApiClient, InformerFactory, stripManagedFields } from '../../client/index.js';
import { whenAborted, type Component } from '../../component/index.js';
import { adminKubeconfig } from '../../pki/index.js';
import { writeFileAtomic } from '../../files/index.js';
import { CliError } from '../cli-error.js';
import type { ServerDeps } from './server-deps.js';

export const apiServerComponent: Component<ServerDeps> = {
  name: 'apiserver',
  async start(signal, { flags, pki, metrics, health, provided, addresses }) {
    const api = await ApiServer.start({
      backend: provided.need('backend'),
      serviceCidr: flags.serviceCidr,
      nodePortRange: flags.nodePortRange,
      advertiseAddress: addresses.advertise,
      securePort: flags.port,
    });
    const { adminToken } = pki;
    const http = createHttpServer({
      api,
      caPem: pki.ca.certPem,
      certPem: pki.serving.certPem,
      keyPem: pki.serving.keyPem,
      adminToken,
      ...listen(flags),
      metrics,
      health,
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'EADDRINUSE'
            ? new CliError(`port ${flags.port} on ${flags.bindAddress} is already in use`, 'stop the other server or pick another --https-listen-port')
            : err,
        ),
      );
      http.listen(flags.port, flags.bindAddress, () => resolve());
    });
    const url = `https://${addresses.local.includes(':') ? `[${addresses.local}]` : addresses.local}:${flags.port}`;
    const kubeconfigs = await writeAdminKubeconfigs(flags, adminKubeconfig(url, pki.ca.certPem, pki.admin));
    // The components of this process are API clients like any other. They reach the server through
    // in-process connections (apiserver/in-process-connection): the same HTTP and the admin token, with
    // neither TLS nor a socket to pay for on every request and watch event.
    const localApi = createLocalHttpServer({ api, adminToken, ...listen(flags), metrics, health });
    const clients: ApiClient[] = [];
    const client = (userAgent: string): ApiClient => {
      const c = new ApiClient({ server: url, caPem: pki.ca.certPem, token: adminToken, connect: () => connectInProcess(localApi), userAgent });
      clients.push(c);
      return c;
    };
    const informers = new InformerFactory(client('skiff-informers'), { transform: stripManagedFields });
    informers.start(signal);
    provided.provide('cluster', { url, kubeconfigs, client, informers });
    const stopped = whenAborted(signal).then(() => {
      for (const c of clients) c.close();
      http.close();
      http.closeAllConnections();
      localApi.close();
      localApi.closeAllConnections();
      api.close();
    });
    return {
      checks: [
        {
          name: 'informer-sync',
          endpoints: ['readyz'],
          check: () => {
            if (!informers.hasSynced) throw new Error('the shared informers have not listed everything yet');
          },
        },
        {
          name: 'shutdown',
          endpoints: ['readyz'],
          check: () => {
            if (signal.aborted) throw new Error('the server is shutting down');
          },
        },
      ],
      stopped,
    };
  },
};

function listen(flags: ServerDeps['flags']) {
  return { bindAddress: flags.bindAddress, port: flags.port };
}

/** The admin kubeconfig at --write-kubeconfig, and at ~/.kube/config when that flag is not given and none is there. */
async function writeAdminKubeconfigs(flags: ServerDeps['flags'], kubeconfig: string): Promise<string[]> {
  await writeFileAtomic(flags.kubeconfig, kubeconfig);
  const written = [flags.kubeconfig];
  if (!flags.kubeconfigExplicit) {
    const userConfig = join(homedir(), '.kube', 'config');
    const exists = await stat(userConfig).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await writeFileAtomic(userConfig, kubeconfig);
      written.push(userConfig);
    }
  }
  return written;
}

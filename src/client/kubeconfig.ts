// Reads a kubeconfig file into ApiClient options, as kubectl does for its current context:
// inline (`-data`) or file-referenced CA, client certificate and key, or a bearer token.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { ApiClientOptions } from './api-client.js';

interface Named {
  name: string;
}

interface KubeconfigDoc {
  'current-context'?: string;
  contexts?: (Named & { context?: { cluster?: string; user?: string } })[];
  clusters?: (Named & { cluster?: { server?: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string } })[];
  users?: (Named & {
    user?: { token?: string; 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string };
  })[];
}

/** The client options of the kubeconfig's current context; errors name what is missing. */
export async function loadKubeconfig(path: string, userAgent?: string): Promise<ApiClientOptions> {
  const doc = yaml.load(await readFile(path, 'utf8')) as KubeconfigDoc | undefined;
  if (!doc || typeof doc !== 'object') throw new Error(`${path} is not a kubeconfig`);
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName)?.context ?? (doc.contexts?.length === 1 ? doc.contexts[0]!.context : undefined);
  if (!context) throw new Error(`${path} has no current context`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`${path}: cluster ${String(context.cluster)} has no server`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? {};
  const base = dirname(path);
  const read = async (data: string | undefined, file: string | undefined): Promise<string | undefined> => {
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    if (file) return readFile(resolve(base, file), 'utf8');
    return undefined;
  };
  const caPem = await read(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (!caPem) throw new Error(`${path}: cluster ${String(context.cluster)} has no certificate authority`);
  const certPem = await read(user['client-certificate-data'], user['client-certificate']);
  const keyPem = await read(user['client-key-data'], user['client-key']);
  if (!user.token && !(certPem && keyPem)) throw new Error(`${path}: user ${String(context.user)} has neither a token nor a client certificate and key`);
  return {
    server: cluster.server,
    caPem,
    ...(user.token ? { token: user.token } : {}),
    ...(certPem && keyPem ? { certPem, keyPem } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}

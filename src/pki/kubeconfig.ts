// Admin kubeconfig: the cluster's CA and server URL with the admin client certificate embedded,
// in the shape kubectl, helm and client libraries read.
import yaml from 'js-yaml';
import type { KeyPairPem } from './certificates.js';

export function adminKubeconfig(serverUrl: string, caPem: string, client: KeyPairPem, name = 'default'): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: serverUrl, 'certificate-authority-data': b64(caPem) } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
    users: [{ name, user: { 'client-certificate-data': b64(client.certPem), 'client-key-data': b64(client.keyPem) } }],
  };
  return yaml.dump(doc, { lineWidth: -1 });
}

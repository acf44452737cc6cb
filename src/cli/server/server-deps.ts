// What the components of `skiff server` share: the flags, the cluster PKI, the metrics, the health
// checks, and what earlier components provide to later ones (storage's backend, the API server's
// clients), as k3s's components share one config and its runtime fields.
import { mkdir } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { nthAddress, parseCidr } from '../../net/index.js';
import { ApiMetrics } from '../../apiserver/index.js';
import type { ApiClient, InformerFactory } from '../../client/index.js';
import { HealthChecks } from '../../component/index.js';
import { loadOrCreateClusterPki, type ClusterPki } from '../../pki/index.js';
import type { StorageBackend } from '../../storage/index.js';
import type { ServerFlags } from './server-flags.js';

/** How the components of this process reach the API. */
export interface ClusterAccess {
  /** The URL clients on this machine use; the admin kubeconfigs name it. */
  readonly url: string;
  readonly kubeconfigs: readonly string[];
  /** A client over the in-process connection, with its own user agent. */
  readonly client: (userAgent: string) => ApiClient;
  /** One set of informers for the whole process: each kind is listed and cached once. */
  readonly informers: InformerFactory;
}

interface Provisions {
  readonly backend: StorageBackend;
  readonly cluster: ClusterAccess;
}

/** Values components provide to the ones started after them. */
class Provided {
  private readonly values = new Map<keyof Provisions, unknown>();

  provide<K extends keyof Provisions>(key: K, value: Provisions[K]): void {
    this.values.set(key, value);
  }

  need<K extends keyof Provisions>(key: K): Provisions[K] {
    if (!this.values.has(key)) throw new Error(`no ${key} yet: the component that provides it starts earlier in the list`);
    return this.values.get(key) as Provisions[K];
  }
}

export interface ServerDeps {
  readonly flags: ServerFlags;
  readonly pki: ClusterPki;
  readonly metrics: ApiMetrics;
  readonly health: HealthChecks;
  readonly provided: Provided;
  /** The address this machine's clients reach the server at, and the one it advertises to the cluster. */
  readonly addresses: { readonly local: string; readonly advertise: string };
}

/** Creates the data dir and loads (on first start creates) the cluster PKI. */
export async function serverDeps(flags: ServerFlags): Promise<ServerDeps> {
  const serviceIp = nthAddress(parseCidr(flags.serviceCidr), 1);
  const dnsNames = ['localhost', hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${flags.clusterDomain}`];
  const explicitBind = flags.bindAddress !== '0.0.0.0' && flags.bindAddress !== '::';
  const ipAddresses = [...new Set([...hostAddresses(), serviceIp, ...(explicitBind ? [flags.bindAddress] : [])])];
  await mkdir(flags.dataDir, { recursive: true, mode: 0o700 });
  const pki = await loadOrCreateClusterPki(flags.dataDir, { dnsNames, ipAddresses });
  const external = hostAddresses().find((a) => a !== '127.0.0.1' && !a.includes(':'));
  const addresses = explicitBind ? { local: flags.bindAddress, advertise: flags.bindAddress } : { local: '127.0.0.1', advertise: external ?? '127.0.0.1' };
  return { flags, pki, metrics: new ApiMetrics(), health: new HealthChecks(), provided: new Provided(), addresses };
}

function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal || a.address === '127.0.0.1') out.push(a.address);
  return [...new Set(['127.0.0.1', ...out])];
}

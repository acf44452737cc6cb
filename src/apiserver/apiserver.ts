// Composes the API server: watch cache over the storage backend, one REST store per resource,
// admission (namespace lifecycle, service allocation), the built-in objects every cluster has,
// and the HTTPS front end.
import { ApiError, resources, type ResourceInfo, findResource, strategyFor } from '../api/index.js';
import type { StorageBackend } from '../storage/backend.js';
import { parseCidr, nthAddress, type Ipv4Cidr } from '../net/index.js';
import { DefaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { PodPriority, systemPriorityClasses, type PriorityClassView } from './admission/pod-priority.js';
import { ServiceAllocation } from './admission/service-allocation.js';
import { LimitRanger } from './admission/limit-ranger.js';
import { ResourceQuotaAdmission, type QuotaAccess } from './admission/resource-quota.js';
import type { AdmissionPlugin } from './registry/admission.js';
import type { RequestContext } from './registry/context.js';
import { ResourceStore } from './registry/resource-store.js';
import { WatchCache, type ObjectMap } from './watch-cache.js';
import { CrdController } from './crd-controller.js';
import { log } from '../log/index.js';

export interface ApiServerConfig {
  readonly backend: StorageBackend;
  readonly serviceCidr: string;
  readonly nodePortRange: { readonly min: number; readonly max: number };
  /** Address and port the `kubernetes` service's endpoints point at. */
  readonly advertiseAddress: string;
  readonly securePort: number;
}

const systemContext: RequestContext = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  apiVersion: 'v1',
  warnings: [],
};

export class ApiServer {
  private readonly stores = new Map<string, ResourceStore>();
  private readonly admission: readonly AdmissionPlugin[];
  private crds: CrdController | undefined;
  private priorityClassViews: { readonly changedAt: number; readonly views: readonly PriorityClassView[] } | undefined;
  readonly serviceCidr: Ipv4Cidr;

  private constructor(
    readonly config: ApiServerConfig,
    readonly cache: WatchCache,
    private readonly allocation: ServiceAllocation,
  ) {
    this.serviceCidr = parseCidr(config.serviceCidr);
    // In kube-apiserver's order: NamespaceLifecycle first; LimitRanger's defaults are set before ResourceQuota charges them.
    this.admission = [
      new NamespaceLifecycle(cache),
      allocation,
      new DefaultTolerationSeconds(),
      new LimitRanger((namespace) => this.cachedIn('limitranges', namespace)),
      new PodPriority(() => this.priorityClasses()),
      new ResourceQuotaAdmission(this.quotaAccess()),
    ];
  }

  static async start(config: ApiServerConfig): Promise<ApiServer> {
    const storageResources = [...new Map(resources.map((r) => [`${r.storage.group}/${r.storage.resource}`, r.storage])).values()];
    const cache = await WatchCache.start(config.backend, storageResources);
    const allocation = new ServiceAllocation(config.backend, { serviceCidr: parseCidr(config.serviceCidr), nodePortRange: config.nodePortRange });
    const server = new ApiServer(config, cache, allocation);
    await server.bootstrap();
    server.crds = await CrdController.start({ backend: config.backend, cache, store: (r) => server.store(r) });
    return server;
  }

  /** The store serving a resource (versions sharing storage share one strategy but not one store). */
  store(r: ResourceInfo): ResourceStore {
    const key = `${r.group}/${r.version}/${r.resource}`;
    let store = this.stores.get(key);
    // A custom resource's info is replaced whenever its CRD changes: its store follows.
    if (!store || store.info !== r) {
      store = new ResourceStore(r, {
        backend: this.config.backend,
        cache: this.cache,
        strategy: r.custom?.strategy ?? strategyFor(r.storage.group, r.storage.resource),
        admission: this.admission,
      });
      this.stores.set(key, store);
    }
    return store;
  }

  private coreStore(resource: string): ResourceStore {
    const info = findResource('', 'v1', resource);
    if (!info) throw new Error(`no core resource ${resource}`);
    return this.store(info);
  }

  /** A namespace's objects of a core resource as the watch cache has them, in name order. */
  private cachedIn(resource: string, namespace: string): ObjectMap[] {
    return this.cache
      .resource({ group: '', resource })
      .list(`/registry/core/${resource}/${namespace}/`)
      .map((o) => o.toObject());
  }

  /** Quota admission reads quotas from the cache and storage and writes their status through the store. */
  private quotaAccess(): QuotaAccess {
    const quotas = () => this.coreStore('resourcequotas');
    return {
      cached: (namespace) => this.cachedIn('resourcequotas', namespace),
      get: (namespace, name) =>
        quotas()
          .get(namespace, name)
          .catch((err: unknown) => {
            if (err instanceof ApiError && err.code === 404) return undefined;
            throw err;
          }),
      writeStatus: async (quota) => {
        const meta = quota.metadata as { namespace: string; name: string };
        await quotas().update(systemContext, meta.namespace, meta.name, () => quota, { subresource: 'status' });
      },
    };
  }

  /** The priority classes as priority admission needs them, rebuilt only after one changes. */
  private priorityClasses(): readonly PriorityClassView[] {
    const classes = this.cache.resource({ group: 'scheduling.k8s.io', resource: 'priorityclasses' });
    if (this.priorityClassViews?.changedAt === classes.changedAt) return this.priorityClassViews.views;
    const views = classes.list('/registry/scheduling.k8s.io/priorityclasses/').map((c) => {
      const o = c.toObject() as { value?: number; globalDefault?: boolean; preemptionPolicy?: string };
      return {
        name: c.name,
        value: o.value ?? 0,
        globalDefault: o.globalDefault ?? false,
        ...(o.preemptionPolicy ? { preemptionPolicy: o.preemptionPolicy } : {}),
      };
    });
    this.priorityClassViews = { changedAt: classes.changedAt, views };
    return views;
  }

  /** The objects every cluster starts with: system namespaces and the `kubernetes` service. */
  private async bootstrap(): Promise<void> {
    const namespaces = this.coreStore('namespaces');
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      await ensure(() =>
        namespaces.create(systemContext, '', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        }),
      );
    }
    const services = this.coreStore('services');
    const ip = nthAddress(this.serviceCidr, 1);
    const existing = await services.get('default', 'kubernetes').catch((err: unknown) => {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    });
    if (!existing) {
      // Another server on the same datastore may create it first (and claim its address): fine.
      const createdElsewhere = () =>
        services.get('default', 'kubernetes').then(
          () => true,
          () => false,
        );
      await ensureUnless(createdElsewhere, () =>
        services.create(systemContext, 'default', {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
          spec: {
            type: 'ClusterIP',
            clusterIP: ip,
            ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: this.config.securePort }],
            sessionAffinity: 'None',
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            internalTrafficPolicy: 'Cluster',
          },
        }),
      );
    }
    const priorityInfo = findResource('scheduling.k8s.io', 'v1', 'priorityclasses');
    if (priorityInfo) {
      const priorityClasses = this.store(priorityInfo);
      for (const c of systemPriorityClasses) {
        await ensure(() =>
          priorityClasses.create(systemContext, '', {
            apiVersion: 'scheduling.k8s.io/v1',
            kind: 'PriorityClass',
            metadata: { name: c.name },
            value: c.value,
            globalDefault: false,
            description: c.description,
          }),
        );
      }
    }
    const endpoints = this.coreStore('endpoints');
    const subsets = [{ addresses: [{ ip: this.config.advertiseAddress }], ports: [{ name: 'https', port: this.config.securePort, protocol: 'TCP' }] }];
    try {
      await endpoints.update(
        systemContext,
        'default',
        'kubernetes',
        (current) => ({
          ...(current ?? {}),
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { ...(current?.metadata ?? {}), name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
          subsets,
        }),
        { allowCreate: true },
      );
    } catch (err) {
      log.warning('Could not write the kubernetes endpoints', { err: String(err) });
    }
  }

  close(): void {
    this.crds?.close();
    this.cache.close();
  }
}

async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'AlreadyExists') return;
    throw err;
  }
}

/** As ensure, and also fine with any failure once `existsNow` says the object is there. */
async function ensureUnless(existsNow: () => Promise<boolean>, create: () => Promise<unknown>): Promise<void> {
  try {
    await ensure(create);
  } catch (err) {
    // The other server claims what the object needs (its address) a moment before it writes the
    // object: give that write time to land and reach this server's cache before giving up.
    for (let attempt = 0; attempt < 30; attempt++) {
      if (await existsNow()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw err;
  }
}

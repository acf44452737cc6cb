// NamespaceLifecycle admission, as kube-apiserver runs it first: a namespaced object may be
// created only in a namespace that exists and is not being terminated.
import { ApiError, type ResourceInfo } from '../../api/index.js';
import type { AdmissionPlugin } from '../registry/admission.js';
import { metaOf } from '../registry/object-meta.js';
import type { ObjectMap, WatchCache } from '../watch-cache.js';

export class NamespaceLifecycle implements AdmissionPlugin {
  readonly name = 'NamespaceLifecycle';

  constructor(private readonly cache: WatchCache) {}

  handles(r: ResourceInfo): boolean {
    return r.namespaced;
  }

  async create(_ctx: unknown, obj: ObjectMap, r: ResourceInfo): Promise<undefined> {
    const namespace = metaOf(obj).namespace ?? '';
    const name = metaOf(obj).name ?? '';
    const nsCache = this.cache.resource({ group: '', resource: 'namespaces' });
    let ns = nsCache.get(`/registry/core/namespaces/${namespace}`);
    if (!ns) {
      // The cache may trail a namespace created a moment ago.
      await this.cache.waitUntilFresh().catch(() => undefined);
      ns = nsCache.get(`/registry/core/namespaces/${namespace}`);
    }
    if (!ns) throw ApiError.notFound({ group: '', resource: 'namespaces', name: namespace });
    if (ns.deleting || ns.fields['status.phase'] === 'Terminating') {
      const resource = r.group ? `${r.resource}.${r.group}` : r.resource;
      throw new ApiError(
        403,
        'Forbidden',
        `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          ...(r.group ? { group: r.group } : {}),
          kind: r.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
        },
      );
    }
    return undefined;
  }
}

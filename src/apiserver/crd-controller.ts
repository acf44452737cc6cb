// Serves what CustomResourceDefinitions define, as the apiextensions server's naming, establishing
// and finalizing controllers do: a new CRD's names are accepted and it is established (its
// resource registered, cached and served); a deleted one stops being served and its objects go.
import {
  ApiError,
  cleanupFinalizer,
  customResourceInfos,
  dynamicResources,
  findResource,
  type ResourceInfo,
  selectableFieldsFor,
  kubeTime,
} from '../api/index.js';
import type { StorageBackend } from '../storage/backend.js';
import type { RequestContext } from './registry/context.js';
import type { ResourceStore } from './registry/resource-store.js';
import { resourcePrefix, type StorageResource } from './storage-keys.js';
import type { CachedObject, WatchCache } from './watch-cache.js';
import { isRecord } from '../lang/index.js';

type Obj = Record<string, unknown>;

export interface CrdControllerDeps {
  readonly backend: StorageBackend;
  readonly cache: WatchCache;
  store(r: ResourceInfo): ResourceStore;
}

const context: RequestContext = {
  user: { name: 'system:apiserver', groups: ['system:masters'] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  apiVersion: 'apiextensions.k8s.io/v1',
  warnings: [],
};

const crdResource: StorageResource = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };
const crdPrefix = resourcePrefix(crdResource);

interface Condition {
  type: string;
  status: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export class CrdController {
  private readonly queue = new Set<string>();
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly deps: CrdControllerDeps) {}

  /** Serves every CRD already stored before the server answers requests, then follows changes. */
  static async start(deps: CrdControllerDeps): Promise<CrdController> {
    const c = new CrdController(deps);
    const crds = deps.cache.resource(crdResource);
    c.unsubscribe = crds.subscribe((events) => {
      for (const e of events) c.enqueue(e.object.name);
    });
    for (const o of crds.list(crdPrefix)) c.queue.add(o.name);
    await c.drain();
    return c;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe?.();
  }

  private enqueue(name: string): void {
    this.queue.add(name);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.size && !this.closed) this.enqueue([...this.queue][0]!);
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.size && !this.closed) {
      const name = [...this.queue][0]!;
      this.queue.delete(name);
      try {
        await this.sync(name);
      } catch (err) {
        // A conflict means a newer version of the CRD is on its way and will be synced again.
        if (!(err instanceof ApiError && err.code === 409)) process.stderr.write(`warning: CRD ${name}: ${String(err)}\n`);
      }
    }
  }

  private crdStore(): ResourceStore {
    const info = findResource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    if (!info) throw new Error('customresourcedefinitions are not in the catalogue');
    return this.deps.store(info);
  }

  private async sync(name: string): Promise<void> {
    const cached: CachedObject | undefined = this.deps.cache.resource(crdResource).get(`${crdPrefix}${name}`);
    if (!cached) {
      this.stopServing(name);
      return;
    }
    const crd = cached.toObject();
    if (cached.deleting) {
      await this.finalize(name, crd);
      return;
    }
    const infos = customResourceInfos(crd);
    const storage = infos[0]?.storage;
    if (storage)
      await this.deps.cache.addResource(
        storage,
        selectableFieldsFor(storage.group, storage.resource, { customFields: infos[0]?.custom?.selectableFields ?? [], clusterScoped: !infos[0]!.namespaced }),
      );
    const conflict = this.namesConflict(name, crd);
    if (!conflict) dynamicResources.set(name, infos);
    await this.writeStatus(name, crd, conflict);
  }

  /** Another CRD of the same group already serving this plural or kind. */
  private namesConflict(name: string, crd: Obj): string | undefined {
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    for (const r of dynamicResources.list()) {
      if (r.custom?.crdName === name || r.group !== spec.group) continue;
      if (r.resource === names.plural) return `"${String(names.plural)}" is already in use`;
      if (r.kind === names.kind) return `"${String(names.kind)}" is already in use`;
    }
    return undefined;
  }

  private async writeStatus(name: string, crd: Obj, conflict: string | undefined): Promise<void> {
    const status = isRecord(crd.status) ? crd.status : {};
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isRecord) as unknown as Condition[];
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const want: Array<Omit<Condition, 'lastTransitionTime'>> = conflict
      ? [
          { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: conflict },
          { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
        ]
      : [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
        ];
    const accepted = conflict ? (status.acceptedNames ?? { plural: '', kind: '' }) : spec.names;
    const unchanged =
      JSON.stringify(status.acceptedNames) === JSON.stringify(accepted) &&
      want.every((w) => conditions.some((c) => c.type === w.type && c.status === w.status && c.reason === w.reason));
    if (unchanged) return;
    await this.crdStore().update(
      context,
      '',
      name,
      (current) => {
        if (!current) throw ApiError.notFound({ group: crdResource.group, resource: crdResource.resource, name });
        const st = isRecord(current.status) ? current.status : (current.status = {});
        const existing = (Array.isArray(st.conditions) ? st.conditions : []).filter(isRecord) as unknown as Condition[];
        const next: Condition[] = existing.filter((c) => !want.some((w) => w.type === c.type));
        for (const w of want) {
          const old = existing.find((c) => c.type === w.type);
          next.push({ ...w, lastTransitionTime: old && old.status === w.status ? old.lastTransitionTime : kubeTime() });
        }
        st.conditions = next;
        st.acceptedNames = accepted;
        delete (current.metadata as Obj).resourceVersion;
        return current;
      },
      { subresource: 'status' },
    );
  }

  private stopServing(name: string): void {
    const served = dynamicResources.list().find((r) => r.custom?.crdName === name);
    dynamicResources.set(name, []);
    if (served && !dynamicResources.list().some((r) => r.storage.group === served.storage.group && r.storage.resource === served.storage.resource)) {
      this.deps.cache.removeResource(served.storage);
    }
  }

  /** Deletes every object of a deleted CRD, then lets the CRD go by dropping the cleanup finalizer. */
  private async finalize(name: string, crd: Obj): Promise<void> {
    const meta = isRecord(crd.metadata) ? crd.metadata : {};
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    this.stopServing(name);
    if (!finalizers.includes(cleanupFinalizer)) return;
    const spec = isRecord(crd.spec) ? crd.spec : {};
    const names = isRecord(spec.names) ? spec.names : {};
    if (typeof spec.group === 'string' && typeof names.plural === 'string') {
      const prefix = resourcePrefix({ group: spec.group, resource: names.plural });
      const listed = await this.deps.backend.list(prefix);
      for (const kv of listed.items) await this.deps.backend.delete(kv.key).catch(() => undefined);
    }
    await this.crdStore().update(context, '', name, (current) => {
      if (!current) throw ApiError.notFound({ group: crdResource.group, resource: crdResource.resource, name });
      const m = current.metadata as Obj;
      m.finalizers = (Array.isArray(m.finalizers) ? m.finalizers : []).filter((f) => f !== cleanupFinalizer);
      delete m.resourceVersion;
      return current;
    });
  }
}
